package dev.coffer.cli;

import java.io.Console;

/** Asks the person at the terminal for a passphrase, without echo. */
@FunctionalInterface
public interface PassphrasePrompt {

  /**
   * Reads a passphrase, or returns null when there is no one to ask (no console). The caller wipes
   * the returned array.
   */
  char[] read(String prompt);

  /** Reads from {@link System#console()}; returns null when the process has no console. */
  static PassphrasePrompt console() {
    return prompt -> {
      Console console = System.console();
      return console == null ? null : console.readPassword("%s", prompt);
    };
  }

  /** Never asks: for scripts and tests. */
  static PassphrasePrompt none() {
    return prompt -> null;
  }
}
