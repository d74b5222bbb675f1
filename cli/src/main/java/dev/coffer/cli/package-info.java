/**
 * The {@code coffer} command line: {@link dev.coffer.cli.Main} (global options, error handling),
 * {@link dev.coffer.cli.ExitCode}, {@link dev.coffer.cli.CliContext} (options resolved against the
 * environment, the key provider and the store opened once), {@link dev.coffer.cli.RunContext} (how
 * picocli hands the context to a command, as a mixin) and {@link dev.coffer.cli.CliEnvironment}
 * (what tests inject). Command groups live in their own packages ({@code kms}, {@code dynamodb},
 * {@code store}, {@code lifecycle}) and share the {@code output} and {@code input} packages; none
 * of them imports {@link dev.coffer.cli.Main}.
 */
package dev.coffer.cli;
