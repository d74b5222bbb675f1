package dev.coffer.kms.aws;

import dev.coffer.kms.InvalidArnException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A KMS key ARN ({@code arn:<partition>:kms:<region>:<account>:key/<id>}) or alias ARN ({@code
 * ...:alias/<name>}), as named in an {@code aws-kms:} URI. Immutable.
 */
record KmsArn(String arn, String partition, String region, String account, String resource) {
  private static final Pattern ARN =
      Pattern.compile(
          "arn:(aws[a-zA-Z-]*):kms:([a-z0-9-]+):(\\d{12}):((?:key|alias)/[A-Za-z0-9/_-]+)");

  /**
   * Parses a key or alias ARN.
   *
   * @throws InvalidArnException when {@code text} is not one
   */
  static KmsArn parse(String text) {
    Matcher m = text == null ? null : ARN.matcher(text);
    if (m == null || !m.matches()) {
      throw new InvalidArnException(
          "An aws-kms URI names a key ARN (arn:aws:kms:<region>:<account>:key/<key id>) or an alias ARN"
              + " (arn:aws:kms:<region>:<account>:alias/<name>), not '"
              + text
              + "'",
          text,
          null);
    }
    return new KmsArn(text, m.group(1), m.group(2), m.group(3), m.group(4));
  }

  /** True for {@code key/<id>}, false for {@code alias/<name>}. */
  boolean isKey() {
    return resource.startsWith("key/");
  }

  /** Whether {@code text} has the form of a key ARN (not an alias ARN). */
  static boolean isKeyArn(String text) {
    Matcher m = text == null ? null : ARN.matcher(text);
    return m != null && m.matches() && m.group(4).startsWith("key/");
  }
}
