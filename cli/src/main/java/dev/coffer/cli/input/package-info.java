/**
 * How parameters are read, as the AWS CLI v2 reads them: {@code file://} and {@code fileb://},
 * base64 blobs, shorthand and JSON maps, tag lists. Errors are {@link
 * dev.coffer.cli.CliInputException}s (bad usage, exit code 2).
 */
package dev.coffer.cli.input;
