/**
 * The sign-up/log-in example: a web application over the AWS SDK v2 only ({@code DynamoDbClient}
 * for the users table, {@code KmsClient} for one envelope-encrypted field), which runs unchanged
 * against AWS or against {@code coffer serve}. Not part of Coffer's API; see the example's README.
 */
package dev.coffer.example.signup;
