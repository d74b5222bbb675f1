package dev.coffer.cli.dynamodb;

import dev.coffer.cli.CliContext;
import dev.coffer.kms.KeyProviderException;

/**
 * The region and account of table ARNs: those of the store's master key ARN ({@code
 * arn:aws:kms:REGION:ACCOUNT:key/...}), so a store under a {@code local:} key of account
 * 111122223333 in us-east-1 has tables {@code arn:aws:dynamodb:us-east-1:111122223333:table/NAME}.
 * When the key's ARN cannot be learned, DynamoDB Local's {@code ddblocal:000000000000}. Stateless.
 */
public final class TableArns {
  private static final String FALLBACK = "arn:aws:dynamodb:ddblocal:000000000000:table/";

  private TableArns() {}

  /** {@code arn:aws:dynamodb:REGION:ACCOUNT:table/} for the run's master key. */
  public static String prefix(CliContext context) {
    String key = context.masterKey();
    if (key == null) {
      key = context.keyProvider().defaultKeyId().orElse(null);
    }
    if (key == null) {
      return FALLBACK;
    }
    String arn = key;
    if (!key.startsWith("arn:")) {
      try {
        arn = context.keyProvider().describeKey(key).arn();
      } catch (KeyProviderException | UnsupportedOperationException e) {
        return FALLBACK;
      }
    }
    String[] parts = arn.split(":", 6);
    if (parts.length < 6 || parts[3].isEmpty() || parts[4].isEmpty()) {
      return FALLBACK;
    }
    return "arn:" + parts[1] + ":dynamodb:" + parts[3] + ":" + parts[4] + ":table/";
  }
}
