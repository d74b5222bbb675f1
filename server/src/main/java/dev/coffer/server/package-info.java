/**
 * {@link dev.coffer.server.CofferServer}: Coffer's store served over DynamoDB's JSON protocol, and
 * its keys over KMS's, on one loopback port, for the AWS SDKs and the AWS CLI. Everything under
 * {@code dev.coffer.server.internal} is not API.
 */
package dev.coffer.server;
