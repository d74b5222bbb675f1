package dev.coffer.example.signup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.example.signup.Backend.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * The application's data layer through the SDK: sign-up as a conditional create, duplicate refused,
 * log-in, wrong password refused, the phone sealed with KMS; in full against dynalite (with coffer
 * serve's KMS) and against coffer serve.
 */
class AccountsTest {
  @TempDir Path dir;

  /** The whole scenario, through {@link Accounts} only. */
  private static void fullScenario(Backend backend) {
    Accounts accounts = backend.accounts();
    accounts.signUp("Alice@Example.com ", "correct horse battery staple", "+44 20 7946 0123");
    assertThatThrownBy(() -> accounts.signUp("alice@example.com", "another password", null))
        .isInstanceOf(Accounts.EmailTakenException.class)
        .hasMessage("An account with the email address alice@example.com already exists.");
    Accounts.Account alice =
        accounts.logIn("alice@example.com", "correct horse battery staple").orElseThrow();
    assertThat(alice.email()).isEqualTo("alice@example.com");
    assertThat(alice.phone()).isEqualTo("+44 20 7946 0123");
    assertThat(accounts.logIn("ALICE@example.com", "correct horse battery staple")).isPresent();
    assertThat(accounts.logIn("alice@example.com", "correct horse battery stable")).isEmpty();
    assertThat(accounts.logIn("bob@example.com", "correct horse battery staple")).isEmpty();

    // the duplicate did not overwrite the first account
    assertThat(accounts.logIn("alice@example.com", "another password")).isEmpty();
    storedItemHoldsNoSecret(backend);
  }

  /**
   * What DynamoDB holds: the Argon2id hash, the wrapped data key and the ciphertext; no password,
   * no phone.
   */
  private static void storedItemHoldsNoSecret(Backend backend) {
    Map<String, AttributeValue> item =
        backend
            .dynamo
            .getItem(
                b ->
                    b.tableName("users")
                        .key(Map.of("email", AttributeValue.fromS("alice@example.com"))))
            .item();
    assertThat(item.get("passwordHash").s())
        .startsWith("$argon2id$v=19$m=19456,t=2,p=1$")
        .doesNotContain("correct horse");
    assertThat(item.keySet())
        .containsExactlyInAnyOrder("email", "passwordHash", "createdAt", "phone", "phoneKey");
    String stored =
        new String(item.get("phone").b().asByteArray(), StandardCharsets.ISO_8859_1)
            + new String(item.get("phoneKey").b().asByteArray(), StandardCharsets.ISO_8859_1);
    // whole numbers, not 4-digit pieces: the wrapped key names its KMS key id (random hex digits),
    // in which "0123" turns up about once in 2,000 runs
    assertThat(stored).doesNotContain("7946 0123").doesNotContain("79460123");
  }

  @Test
  void theWholeScenarioOnDynaliteWithCofferServeKms() {
    try (Backend backend = Backend.start(Kind.DYNALITE, dir)) {
      fullScenario(backend);
    }
  }

  @Test
  void theWholeScenarioOnCofferServe() {
    try (Backend backend = Backend.start(Kind.COFFER_SERVE, dir)) {
      fullScenario(backend);
    }
  }

  /**
   * The sign-up's conditional create on coffer serve, on the wire: a second item with the same key
   * is refused with DynamoDB's ConditionalCheckFailedException (which {@link Accounts} turns into
   * "already exists"), and the first account is left as it was.
   */
  @Test
  void aSecondCreateOfTheSameEmailIsAConditionalCheckFailureOnCofferServe() {
    try (Backend backend = Backend.start(Kind.COFFER_SERVE, dir)) {
      Accounts accounts = backend.accounts();
      accounts.signUp("alice@example.com", "correct horse battery staple", null);
      Map<String, AttributeValue> second =
          accounts.newItem("alice@example.com", "another password", null);
      assertThatThrownBy(
              () ->
                  backend.dynamo.putItem(
                      b ->
                          b.tableName("users")
                              .item(second)
                              .conditionExpression("attribute_not_exists(#email)")
                              .expressionAttributeNames(Map.of("#email", "email"))))
          .isInstanceOf(ConditionalCheckFailedException.class)
          .satisfies(
              e ->
                  assertThat(((DynamoDbException) e).awsErrorDetails().errorMessage())
                      .isEqualTo("The conditional request failed"));
      assertThat(backend.dynamo.scan(b -> b.tableName("users")).count()).isEqualTo(1);
      assertThat(accounts.logIn("alice@example.com", "correct horse battery staple")).isPresent();
      assertThat(accounts.logIn("alice@example.com", "another password")).isEmpty();
    }
  }

  @Test
  void aSealedPhoneCopiedToAnotherUserDoesNotOpen() {
    try (Backend backend = Backend.start(Kind.COFFER_SERVE, dir)) {
      Accounts accounts = backend.accounts();
      Map<String, AttributeValue> alice =
          accounts.newItem("alice@example.com", "password one", "+1 555 0100");
      Map<String, AttributeValue> mallory =
          new HashMap<>(accounts.newItem("mallory@example.com", "password two", null));
      mallory.put("phone", alice.get("phone"));
      mallory.put("phoneKey", alice.get("phoneKey"));
      backend.dynamo.putItem(b -> b.tableName("users").item(mallory));
      // KMS refuses the data key under mallory's encryption context
      assertThatThrownBy(() -> accounts.logIn("mallory@example.com", "password two"))
          .isInstanceOf(KmsException.class)
          .satisfies(
              e ->
                  assertThat(((KmsException) e).awsErrorDetails().errorCode())
                      .isEqualTo("InvalidCiphertextException"));

      // a changed ciphertext does not authenticate
      byte[] phone = alice.get("phone").b().asByteArray();
      phone[phone.length - 1] ^= 1;
      Map<String, AttributeValue> tampered = new HashMap<>(alice);
      tampered.put("phone", AttributeValue.fromB(SdkBytes.fromByteArray(phone)));
      backend.dynamo.putItem(b -> b.tableName("users").item(tampered));
      assertThatThrownBy(() -> accounts.logIn("alice@example.com", "password one"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not authenticate");
    }
  }

  @Test
  void formValuesTheApplicationRefuses() {
    try (Backend backend = Backend.start(Kind.COFFER_SERVE, dir)) {
      Accounts accounts = backend.accounts();
      assertThatThrownBy(() -> accounts.newItem("not an address", "long enough", null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Please enter a valid email address.");
      assertThatThrownBy(() -> accounts.newItem("a@b.example", "short", null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least 8 characters");
      assertThatThrownBy(() -> accounts.newItem("a@b.example", "long enough", "call me"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("phone number");
      assertThat(accounts.logIn("not an address", "long enough")).isEmpty();
      assertThat(accounts.logIn("a@b.example", null)).isEmpty();
    }
  }
}
