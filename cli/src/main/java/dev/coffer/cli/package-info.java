/**
 * The {@code coffer} command line: {@link dev.coffer.cli.Main} (global options, error handling,
 * exit codes), {@link dev.coffer.cli.CliContext} (options resolved against the environment, the key
 * provider opened once) and {@link dev.coffer.cli.CliEnvironment} (what tests inject). Command
 * groups live in their own packages ({@code kms}, later {@code dynamodb}) and share the {@code
 * output} and {@code input} packages.
 */
package dev.coffer.cli;
