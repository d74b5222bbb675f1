package dev.coffer.example.signup;

import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The users table: sign-up as a conditional create, log-in as a read and a password check.
 *
 * <p>One item per user, partition key {@code email} (lower-cased): {@code passwordHash} (an
 * Argon2id PHC string, {@link PasswordHasher}), {@code createdAt}, and, when the user gave one, the
 * phone number sealed with KMS ({@code phoneKey}: the wrapped data key, {@code phone}: the
 * ciphertext; {@link FieldEnvelope}).
 *
 * <p>Sign-up is {@code PutItem} with {@code ConditionExpression attribute_not_exists(email)}: the
 * table itself refuses a second account with the same address, atomically, whatever number of
 * application servers race (a read-then-write check would not). Log-in reads the item with a
 * consistent read; an unknown address costs the same Argon2id work as a wrong password, so the
 * answer time does not tell which addresses have accounts.
 *
 * <p>Thread-safe.
 */
public final class Accounts {
  /** The sign-up was refused: an account with this email address exists. */
  public static final class EmailTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EmailTakenException(String email, Throwable cause) {
      super("An account with the email address " + email + " already exists.", cause);
    }
  }

  /**
   * What a successful log-in gives: the address, the phone number decrypted (or null), the sign-up
   * time.
   */
  public record Account(String email, String phone, Instant createdAt) {}

  static final String EMAIL = "email";
  static final String PASSWORD_HASH = "passwordHash";
  static final String PHONE = "phone";
  static final String PHONE_KEY = "phoneKey";
  static final String CREATED_AT = "createdAt";

  private final DynamoDbClient dynamo;
  private final String table;
  private final PasswordHasher hasher;
  private final FieldEnvelope envelope;
  private final String dummyHash;

  public Accounts(
      DynamoDbClient dynamo, String table, PasswordHasher hasher, FieldEnvelope envelope) {
    this.dynamo = dynamo;
    this.table = table;
    this.hasher = hasher;
    this.envelope = envelope;
    this.dummyHash = hasher.hash("no account has this password");
  }

  /**
   * Creates the users table (partition key {@code email}, on-demand capacity) unless it exists.
   *
   * @return whether it was created
   */
  public static boolean createTable(DynamoDbClient dynamo, String table) {
    try {
      dynamo.createTable(
          b ->
              b.tableName(table)
                  .attributeDefinitions(
                      AttributeDefinition.builder()
                          .attributeName(EMAIL)
                          .attributeType(ScalarAttributeType.S)
                          .build())
                  .keySchema(
                      KeySchemaElement.builder().attributeName(EMAIL).keyType(KeyType.HASH).build())
                  .billingMode(BillingMode.PAY_PER_REQUEST));
    } catch (ResourceInUseException exists) {
      return false;
    }
    dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
    return true;
  }

  /**
   * Creates an account.
   *
   * @throws IllegalArgumentException when the address, password or phone number is not acceptable
   *     (the message says why, for the page)
   * @throws EmailTakenException when an account with the address exists
   */
  public void signUp(String email, String password, String phone) {
    Map<String, AttributeValue> item = newItem(email, password, phone);
    try {
      dynamo.putItem(
          b ->
              b.tableName(table)
                  .item(item)
                  .conditionExpression("attribute_not_exists(#email)")
                  .expressionAttributeNames(Map.of("#email", EMAIL)));
    } catch (ConditionalCheckFailedException e) {
      throw new EmailTakenException(item.get(EMAIL).s(), e);
    }
  }

  /**
   * The item {@link #signUp} writes: the address normalised, the password hashed, the phone sealed.
   *
   * @throws IllegalArgumentException as {@link #signUp}
   */
  public Map<String, AttributeValue> newItem(String email, String password, String phone) {
    String address = normalizeEmail(email);
    checkPassword(password);
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(EMAIL, AttributeValue.fromS(address));
    item.put(PASSWORD_HASH, AttributeValue.fromS(hasher.hash(password)));
    item.put(CREATED_AT, AttributeValue.fromS(Instant.now().toString()));
    if (phone != null && !phone.isBlank()) {
      FieldEnvelope.Sealed sealed = envelope.seal(address, PHONE, checkPhone(phone));
      item.put(PHONE_KEY, AttributeValue.fromB(SdkBytes.fromByteArray(sealed.wrappedKey())));
      item.put(PHONE, AttributeValue.fromB(SdkBytes.fromByteArray(sealed.ciphertext())));
    }
    return item;
  }

  /**
   * Checks a log-in.
   *
   * @return the account, with its phone number decrypted, or empty when the address has no account
   *     or the password is wrong (the caller must not tell which)
   */
  public Optional<Account> logIn(String email, String password) {
    String address;
    try {
      address = normalizeEmail(email);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (password == null || password.length() > PasswordHasher.MAX_PASSWORD_CHARS) {
      return Optional.empty();
    }
    Map<String, AttributeValue> item =
        dynamo
            .getItem(
                b ->
                    b.tableName(table)
                        .consistentRead(true)
                        .key(Map.of(EMAIL, AttributeValue.fromS(address))))
            .item();
    if (item == null || item.isEmpty()) {
      hasher.verify(password, dummyHash); // the same work as for a wrong password
      return Optional.empty();
    }
    if (!hasher.verify(password, item.get(PASSWORD_HASH).s())) {
      return Optional.empty();
    }
    String phone = null;
    if (item.containsKey(PHONE)) {
      phone =
          envelope.open(
              address,
              PHONE,
              new FieldEnvelope.Sealed(
                  item.get(PHONE_KEY).b().asByteArray(), item.get(PHONE).b().asByteArray()));
    }
    return Optional.of(new Account(address, phone, Instant.parse(item.get(CREATED_AT).s())));
  }

  /**
   * The address trimmed and lower-cased.
   *
   * @throws IllegalArgumentException when it does not look like an email address
   */
  public static String normalizeEmail(String email) {
    String e = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    int at = e.indexOf('@');
    if (e.length() > 254
        || at < 1
        || at != e.lastIndexOf('@')
        || at == e.length() - 1
        || !e.matches("\\S+")) {
      throw new IllegalArgumentException("Please enter a valid email address.");
    }
    return e;
  }

  private static void checkPassword(String password) {
    if (password == null || password.length() < 8) {
      throw new IllegalArgumentException("Please choose a password of at least 8 characters.");
    }
    if (password.length() > PasswordHasher.MAX_PASSWORD_CHARS) {
      throw new IllegalArgumentException(
          "Passwords are at most " + PasswordHasher.MAX_PASSWORD_CHARS + " characters.");
    }
  }

  private static String checkPhone(String phone) {
    String p = phone.strip();
    if (!p.matches("\\+?[0-9][0-9 ()-]{3,30}")) {
      throw new IllegalArgumentException(
          "Please enter the phone number with digits, spaces, '-', '(' and ')' only.");
    }
    return p;
  }
}
