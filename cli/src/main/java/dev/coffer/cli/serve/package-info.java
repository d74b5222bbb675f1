/**
 * {@code coffer serve}: the store over DynamoDB's protocol and its keys over KMS's, on one port.
 */
package dev.coffer.cli.serve;
