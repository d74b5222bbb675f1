/**
 * The {@code dynamodb:} record backend: a Coffer store in one Amazon DynamoDB table, shared by many
 * application instances ({@link dev.coffer.store.dynamodb.DynamoDbBackend}, opened from a URI by
 * {@link dev.coffer.store.dynamodb.DynamoDbBackendFactory}). See {@code docs/scale-out.md}.
 */
package dev.coffer.store.dynamodb;
