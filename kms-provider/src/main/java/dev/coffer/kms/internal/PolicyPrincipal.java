package dev.coffer.kms.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A principal as IAM knows it: anyone ({@code "*"}), an AWS account ({@code 111122223333} or {@code
 * arn:aws:iam::111122223333:root}), or an identity of an account (an IAM user or role, or an
 * assumed-role session). The same type describes the principals a policy names and the caller being
 * checked.
 *
 * <p>Follows IAM's rules: a principal ARN may not contain wildcards (AWS refuses {@code
 * arn:aws:iam::111122223333:user/*} in a policy); IAM user and role names are unique within an
 * account without regard to case ("Names are not distinguished by case"), so {@code user/Bob} and
 * {@code user/bob} are the same user and compare equal here, whatever the path; session names
 * compare exactly. Immutable.
 */
record PolicyPrincipal(Kind kind, String account, String type, String name, String session) {
  enum Kind {
    /** {@code "*"}: every principal of every account. */
    ANYONE,
    /** An account: in a policy, every identity of the account; as a caller, its root user. */
    ACCOUNT,
    /** An IAM user, role or assumed-role session. */
    IDENTITY
  }

  private static final String NAME = "[\\w+=,.@-]{1,128}";
  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
  private static final Pattern IAM =
      Pattern.compile(
          "arn:aws[a-z-]*:iam::([0-9]{12}):(?:(root)|(user|role)/(?:"
              + NAME
              + "/)*("
              + NAME
              + "))");
  private static final Pattern STS =
      Pattern.compile("arn:aws[a-z-]*:sts::([0-9]{12}):assumed-role/(" + NAME + ")/(" + NAME + ")");

  static final PolicyPrincipal ANYONE_PRINCIPAL =
      new PolicyPrincipal(Kind.ANYONE, null, null, null, null);

  /**
   * Parses a principal named in a policy's {@code Principal} element ({@code "*"}, an account id,
   * or an IAM or STS ARN).
   *
   * @throws IllegalArgumentException anything else, wildcards inside an ARN included
   */
  static PolicyPrincipal parse(String s) {
    if (s.equals("*")) {
      return ANYONE_PRINCIPAL;
    }
    if (ACCOUNT_ID.matcher(s).matches()) {
      return new PolicyPrincipal(Kind.ACCOUNT, s, null, null, null);
    }
    return parseArn(s);
  }

  /**
   * Parses a caller's ARN: an account's root or an identity.
   *
   * @throws IllegalArgumentException anything else
   */
  static PolicyPrincipal parseArn(String s) {
    Matcher m = IAM.matcher(s);
    if (m.matches()) {
      return m.group(2) != null
          ? new PolicyPrincipal(Kind.ACCOUNT, m.group(1), null, null, null)
          : new PolicyPrincipal(Kind.IDENTITY, m.group(1), m.group(3), lower(m.group(4)), null);
    }
    m = STS.matcher(s);
    if (m.matches()) {
      return new PolicyPrincipal(
          Kind.IDENTITY, m.group(1), "assumed-role", lower(m.group(2)), m.group(3));
    }
    throw new IllegalArgumentException("not a principal ARN: " + s);
  }

  /** Whether this policy principal names {@code caller} itself (not through its account). */
  boolean names(PolicyPrincipal caller) {
    return switch (kind) {
      case ANYONE -> true;
      case ACCOUNT -> false;
      case IDENTITY ->
          caller.kind == Kind.IDENTITY
              && account.equals(caller.account)
              && name.equals(caller.name)
              && (type.equals(caller.type)
                  ? session == null ? caller.session == null : session.equals(caller.session)
                  : type.equals("role")
                      && caller.type.equals("assumed-role")); // a role covers its sessions
    };
  }

  /** Whether this policy principal is the account of {@code caller}. */
  boolean isAccountOf(PolicyPrincipal caller) {
    return kind == Kind.ACCOUNT && account.equals(caller.account);
  }

  /** Whether this policy principal covers {@code caller}, directly or as its account (for Deny). */
  boolean covers(PolicyPrincipal caller) {
    return names(caller) || isAccountOf(caller);
  }

  /** Whether this caller is an account's root user. */
  boolean isRoot() {
    return kind == Kind.ACCOUNT;
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
