/**
 * {@code coffer dynamodb}: DynamoDB's table and item operations with the AWS CLI's parameters
 * (DynamoDB JSON, shorthand, {@code file://}) and response shapes, over the Coffer engine. Key
 * condition and projection expressions are parsed here ({@code KeyConditionExpression}, {@code
 * ProjectionExpression}); filter, condition and update expressions are not supported.
 */
package dev.coffer.cli.dynamodb;
