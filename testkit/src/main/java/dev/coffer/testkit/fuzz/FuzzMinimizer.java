package dev.coffer.testkit.fuzz;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Shrinks a failing input to a small one that fails the same way (the same exception class thrown
 * from the same place), by greedy deletion of ever smaller chunks, then of single bytes, until no
 * deletion keeps the failure. Used on a fuzzer's finding before it is committed as a regression
 * input. Stateless.
 */
public final class FuzzMinimizer {
  private FuzzMinimizer() {}

  /**
   * The smallest input found that fails {@code target} as {@code input} does.
   *
   * @throws IllegalArgumentException when {@code input} does not fail
   */
  public static byte[] minimize(Consumer<byte[]> target, byte[] input) {
    String failure = failure(target, input);
    if (failure == null) {
      throw new IllegalArgumentException("the input does not fail the target");
    }
    byte[] best = input;
    for (int chunk = Math.max(1, best.length / 2);
        chunk >= 1;
        chunk = chunk == 1 ? 0 : Math.max(1, chunk / 2)) {
      boolean shrunk = true;
      while (shrunk) {
        shrunk = false;
        for (int at = 0; at + chunk <= best.length; ) {
          byte[] candidate = new byte[best.length - chunk];
          System.arraycopy(best, 0, candidate, 0, at);
          System.arraycopy(best, at + chunk, candidate, at, best.length - at - chunk);
          if (failure.equals(failure(target, candidate))) {
            best = candidate;
            shrunk = true;
          } else {
            at += chunk;
          }
        }
      }
    }
    return best;
  }

  /** {@code exception class @ first stack frame}, or null when the target accepts the input. */
  public static String failure(Consumer<byte[]> target, byte[] input) {
    try {
      target.accept(Arrays.copyOf(input, input.length));
      return null;
    } catch (
        Throwable
            t) { // the failure being minimized may be any Throwable: an Error is what we look for
      StackTraceElement[] stack = t.getStackTrace();
      return t.getClass().getName()
          + " @ "
          + (stack.length == 0 ? "?" : Objects.toString(stack[0]));
    }
  }
}
