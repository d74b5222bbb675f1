package dev.coffer.cli.kms;

import dev.coffer.cli.input.Excerpt;
import dev.coffer.kms.NotFoundException;

/** Key policy names: as in KMS, a key has one policy, named {@code default}. */
final class PolicyNames {
  static final String DEFAULT = "default";

  private PolicyNames() {}

  /**
   * @throws NotFoundException for any name other than {@code default}
   */
  static void check(String policyName, String keyId, String action) {
    if (!DEFAULT.equals(policyName)) {
      throw new NotFoundException(
          "Key policy '"
              + Excerpt.of(policyName)
              + "' does not exist: the only policy name is 'default'.",
          keyId,
          action);
    }
  }
}
