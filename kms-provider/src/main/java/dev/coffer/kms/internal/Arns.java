package dev.coffer.kms.internal;

import java.util.regex.Pattern;

/** Builds and recognises the ARN forms of keys, aliases and principals. */
public final class Arns {
  /** The account id used when none is configured. */
  public static final String DEFAULT_ACCOUNT = "111122223333";

  /** The region used when none is configured. */
  public static final String DEFAULT_REGION = "us-east-1";

  private static final Pattern KEY_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern ALIAS_NAME = Pattern.compile("alias/[a-zA-Z0-9/_-]{1,250}");
  private static final Pattern USER_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");

  private Arns() {}

  public static String keyArn(String region, String account, String keyId) {
    return "arn:aws:kms:" + region + ":" + account + ":key/" + keyId;
  }

  public static String aliasArn(String region, String account, String aliasName) {
    return "arn:aws:kms:" + region + ":" + account + ":" + aliasName;
  }

  /** The root principal of an account. */
  public static String rootPrincipal(String account) {
    return "arn:aws:iam::" + account + ":root";
  }

  /**
   * A principal ARN: an ARN is kept as it is; a bare name {@code bob} becomes {@code
   * arn:aws:iam::<account>:user/bob}; {@code root} becomes the account's root principal.
   */
  public static String principal(String account, String nameOrArn) {
    if (nameOrArn == null || nameOrArn.isBlank() || nameOrArn.equals("root")) {
      return rootPrincipal(account);
    }
    if (nameOrArn.startsWith("arn:")) {
      return nameOrArn;
    }
    if (!USER_NAME.matcher(nameOrArn).matches()) {
      throw new IllegalArgumentException(
          "'"
              + nameOrArn
              + "' is not an IAM user name (1-64 of A-Z a-z 0-9 _+=,.@-)"
              + " or a principal ARN");
    }
    return "arn:aws:iam::" + account + ":user/" + nameOrArn;
  }

  public static boolean isKeyId(String s) {
    return KEY_ID.matcher(s).matches();
  }

  /** Whether {@code s} has the form of an AWS region name, e.g. {@code eu-west-2}. */
  public static boolean isRegion(String s) {
    return REGION.matcher(s).matches();
  }

  public static boolean isAliasName(String s) {
    return ALIAS_NAME.matcher(s).matches();
  }

  /** The part after the last {@code :} of an ARN ({@code key/<id>} or {@code alias/<name>}). */
  public static String resource(String arn) {
    int i = arn.indexOf(':', "arn:aws:kms:".length());
    int j = i < 0 ? -1 : arn.indexOf(':', i + 1);
    return j < 0 ? arn : arn.substring(j + 1);
  }
}
