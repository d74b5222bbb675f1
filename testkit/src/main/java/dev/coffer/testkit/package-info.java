/**
 * Test support with no Coffer dependency, for any module's tests: {@link
 * dev.coffer.testkit.Dynalite} (an independent DynamoDB implementation for differential tests and
 * for stores kept in DynamoDB), {@link dev.coffer.testkit.RawDynamoDbItems} (the no-plaintext
 * search of a DynamoDB table's raw items) and {@link dev.coffer.testkit.AwsCli}. Test scope only.
 */
package dev.coffer.testkit;
