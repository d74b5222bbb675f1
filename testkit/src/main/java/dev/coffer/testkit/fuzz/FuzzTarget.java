package dev.coffer.testkit.fuzz;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * One fuzz target: the test class that holds its {@code @FuzzTest} (and, beside it in the test
 * resources, its committed corpus {@code <SimpleName>Inputs/}) and the check it runs on one input.
 * The check returns normally for every input the decoder handles as documented and throws (an
 * {@link AssertionError}, or the undocumented exception itself) otherwise. Immutable.
 */
public record FuzzTarget(Class<?> testClass, Consumer<byte[]> check) {
  public FuzzTarget {
    Objects.requireNonNull(testClass, "testClass");
    Objects.requireNonNull(check, "check");
  }

  /**
   * A target whose corpus is {@code <testClass.getSimpleName()>Inputs/} beside {@code testClass}.
   */
  public static FuzzTarget of(Class<?> testClass, Consumer<byte[]> check) {
    return new FuzzTarget(testClass, check);
  }

  /** The target's name: its test class's simple name. */
  public String name() {
    return testClass.getSimpleName();
  }
}
