/**
 * Test support with no Coffer dependency, for any module's tests: {@link
 * dev.coffer.testkit.Dynalite} (an independent DynamoDB implementation for differential tests) and
 * {@link dev.coffer.testkit.AwsCli}. Test scope only.
 */
package dev.coffer.testkit;
