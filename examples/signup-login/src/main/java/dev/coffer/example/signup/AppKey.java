package dev.coffer.example.signup;

import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * The application's KMS key and its key policy, as in the KMS developer guide's default key policy:
 * the account root may do everything (on AWS this is what lets IAM policies apply), a key
 * <b>administrator</b> may manage the key but not use it, and the <b>application</b> may use it but
 * not manage it.
 *
 * <p>The administrator's actions are the guide's list: {@code kms:Create*}, {@code Describe*},
 * {@code Enable*}, {@code List*}, {@code Put*}, {@code Update*}, {@code Revoke*}, {@code Disable*},
 * {@code Get*}, {@code Delete*}, {@code TagResource}, {@code UntagResource}, {@code
 * ScheduleKeyDeletion}, {@code CancelKeyDeletion}: none of them encrypts or decrypts, so an
 * administrator who calls {@code GenerateDataKey} or {@code Decrypt} is refused with {@code
 * AccessDeniedException}. The application's are {@code kms:Encrypt}, {@code Decrypt}, {@code
 * ReEncrypt*}, {@code GenerateDataKey*}, {@code DescribeKey}.
 */
public final class AppKey {
  /** The actions of a key administrator: manage, never use. */
  public static final List<String> ADMINISTRATOR_ACTIONS =
      List.of(
          "kms:Create*",
          "kms:Describe*",
          "kms:Enable*",
          "kms:List*",
          "kms:Put*",
          "kms:Update*",
          "kms:Revoke*",
          "kms:Disable*",
          "kms:Get*",
          "kms:Delete*",
          "kms:TagResource",
          "kms:UntagResource",
          "kms:ScheduleKeyDeletion",
          "kms:CancelKeyDeletion");

  /** The actions of the key's user, the application: use, never manage. */
  public static final List<String> USER_ACTIONS =
      List.of(
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:DescribeKey");

  private AppKey() {}

  /**
   * The key policy document.
   *
   * @param account the 12-digit AWS account id
   * @param administratorArn the key administrator's principal ARN
   * @param applicationArn the application's principal ARN
   */
  public static String policy(String account, String administratorArn, String applicationArn) {
    return """
        {
          "Version": "2012-10-17",
          "Id": "signup-login-key-policy",
          "Statement": [
            {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::%s:root"}, "Action": "kms:*", "Resource": "*"},
            {"Sid": "Allow access for Key Administrators", "Effect": "Allow",
             "Principal": {"AWS": "%s"}, "Action": [%s], "Resource": "*"},
            {"Sid": "Allow use of the key", "Effect": "Allow",
             "Principal": {"AWS": "%s"}, "Action": [%s], "Resource": "*"}
          ]
        }
        """
        .formatted(
            account,
            administratorArn,
            quoted(ADMINISTRATOR_ACTIONS),
            applicationArn,
            quoted(USER_ACTIONS));
  }

  /**
   * Creates the key with {@link #policy} and points {@code alias} at it, unless the alias exists;
   * run by the key administrator.
   *
   * @return the key's metadata
   */
  public static KeyMetadata create(
      KmsClient kms, String alias, String administratorArn, String applicationArn) {
    for (AliasListEntry a : kms.listAliasesPaginator(b -> {}).aliases()) {
      if (a.aliasName().equals(alias) && a.targetKeyId() != null) {
        return kms.describeKey(b -> b.keyId(alias)).keyMetadata();
      }
    }
    String account = accountOf(administratorArn);
    KeyMetadata key =
        kms.createKey(
                b ->
                    b.description("signup-login: sealed profile fields")
                        .policy(policy(account, administratorArn, applicationArn)))
            .keyMetadata();
    kms.createAlias(b -> b.aliasName(alias).targetKeyId(key.keyId()));
    return key;
  }

  /** The account id of an IAM ARN ({@code arn:aws:iam::111122223333:user/admin}). */
  static String accountOf(String arn) {
    String[] parts = arn.split(":", 6);
    if (parts.length != 6 || !parts[0].equals("arn") || !parts[4].matches("\\d{12}")) {
      throw new IllegalArgumentException(
          "not a principal ARN (arn:aws:iam::<12 digits>:user/NAME): " + arn);
    }
    return parts[4];
  }

  private static String quoted(List<String> actions) {
    return actions.stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(", "));
  }
}
