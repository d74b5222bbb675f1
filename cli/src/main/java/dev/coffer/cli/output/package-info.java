/**
 * How every command prints: responses are built as JSON in the AWS shapes, filtered by {@code
 * --query} (JMESPath) and formatted as the AWS CLI's json, text or table output by {@link
 * dev.coffer.cli.output.ResponsePrinter}. Shared by every command group.
 */
package dev.coffer.cli.output;
