package dev.coffer.cli;

import dev.coffer.kms.KeyProviders;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the command line takes from outside its arguments: environment variables, how key providers
 * are opened, and how a passphrase is asked for. {@link #system()} is the real process; tests build
 * their own. Immutable.
 */
public final class CliEnvironment {
  private final Function<String, String> variables;
  private final KeyProviderOpener opener;
  private final PassphrasePrompt prompt;

  private CliEnvironment(Builder b) {
    this.variables = b.variables;
    this.opener = b.opener;
    this.prompt = b.prompt;
  }

  /** The process environment, {@link KeyProviders#open}, and the console prompt. */
  public static CliEnvironment system() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Reads an environment variable; null when unset. */
  public Function<String, String> variables() {
    return variables;
  }

  public KeyProviderOpener opener() {
    return opener;
  }

  public PassphrasePrompt prompt() {
    return prompt;
  }

  /** Builds a {@link CliEnvironment}; every setting defaults to the real process. */
  public static final class Builder {
    private Function<String, String> variables = System::getenv;
    private KeyProviderOpener opener = KeyProviders::open;
    private PassphrasePrompt prompt = PassphrasePrompt.console();

    private Builder() {}

    public Builder variables(Function<String, String> variables) {
      this.variables = Objects.requireNonNull(variables, "variables");
      return this;
    }

    public Builder opener(KeyProviderOpener opener) {
      this.opener = Objects.requireNonNull(opener, "opener");
      return this;
    }

    public Builder prompt(PassphrasePrompt prompt) {
      this.prompt = Objects.requireNonNull(prompt, "prompt");
      return this;
    }

    public CliEnvironment build() {
      return new CliEnvironment(this);
    }
  }
}
