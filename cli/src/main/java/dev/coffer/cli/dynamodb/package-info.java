/**
 * {@code coffer dynamodb}: DynamoDB's table and item operations with the AWS CLI's parameters
 * (DynamoDB JSON, shorthand, {@code file://}) and response shapes, over the Coffer engine. Key
 * condition and projection expressions are parsed by the engine ({@link dev.coffer.Expressions});
 * filter, condition and update expressions are not wired to commands yet.
 */
package dev.coffer.cli.dynamodb;
