package dev.coffer.kms.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.DataKey;
import dev.coffer.kms.DisabledException;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.IncorrectKeyException;
import dev.coffer.kms.InvalidCiphertextException;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyManagement.KeyRotationStatus;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.KeyState;
import dev.coffer.kms.KmsInvalidStateException;
import dev.coffer.kms.KmsValidationException;
import dev.coffer.kms.MalformedPolicyDocumentException;
import dev.coffer.kms.NotFoundException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import dev.coffer.kms.audit.AuditOutcome;
import dev.coffer.kms.audit.AuditRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link KeyProvider} passes. A provider's test extends this class and
 * implements {@link #newFixture(MutableClock)}. Cryptographic calls under test go through {@link
 * Fixture#provider()} and {@link Fixture#as(String)} (the SPI only); set-up (creating keys,
 * policies, states) goes through {@link Fixture#admin()}.
 *
 * <p>The assertions are provider-neutral: exception types, AWS error codes and the parts of
 * messages AWS KMS also produces (principal ARN, action, key ARN), never local blob internals, so
 * the same suite runs against a KMS-compatible HTTP endpoint.
 */
public abstract class KeyProviderContractTest {

  /** What a provider's test supplies. */
  public interface Fixture extends AutoCloseable {
    /** The provider under test, acting as the key owner (allowed everything by default policy). */
    KeyProvider provider();

    /** The provider under test acting as another principal (a bare name such as "bob"). */
    KeyProvider as(String principal);

    /** Key administration as the owner, on the same keys (may bypass the provider under test). */
    KeyManagement admin();

    /** Every audit record emitted so far by the key service, oldest first. */
    List<AuditRecord> auditRecords();

    @Override
    void close();
  }

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final EncryptionContext CTX =
      EncryptionContext.of("store", "s-1", "table", "t-1", "purpose", "page", "version", "1");

  protected MutableClock clock;
  protected Fixture fixture;

  @BeforeEach
  void openFixture() {
    clock = new MutableClock(START);
    fixture = newFixture(clock);
  }

  @AfterEach
  void closeFixture() {
    if (fixture != null) {
      fixture.close();
    }
  }

  // ---------------------------------------------------------------- helpers

  private KeyProvider provider() {
    return fixture.provider();
  }

  private KeyManagement admin() {
    return fixture.admin();
  }

  private KeyDescription newKey(String description) {
    return admin().createKey(CreateKeyRequest.withDescription(description));
  }

  private static byte[] plaintext(SecretBytes s) {
    return s.copyBytes();
  }

  private void assertDecryptsTo(
      KeyProvider p, WrappedKey wrapped, EncryptionContext ctx, byte[] expected) {
    try (SecretBytes back = p.decrypt(wrapped, ctx)) {
      assertThat(plaintext(back)).isEqualTo(expected);
    }
  }

  private static String accountOf(String keyArn) {
    return keyArn.split(":")[4];
  }

  private String policy(String... statements) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
  }

  private static String allow(String principalArn, String... actions) {
    return statement("Allow", principalArn, actions);
  }

  private static String deny(String principalArn, String... actions) {
    return statement("Deny", principalArn, actions);
  }

  private static String statement(String effect, String principalArn, String... actions) {
    StringBuilder a = new StringBuilder();
    for (String action : actions) {
      a.append(a.length() == 0 ? "" : ",").append('"').append(action).append('"');
    }
    return "{\"Effect\":\""
        + effect
        + "\",\"Principal\":{\"AWS\":\""
        + principalArn
        + "\"},\"Action\":["
        + a
        + "],\"Resource\":\"*\"}";
  }

  /** A policy giving the owner (and the account root) everything, plus {@code extra}. */
  private String ownerPolicy(String keyArn, String... extra) {
    List<String> st = new ArrayList<>();
    st.add(allow(provider().principal(), "kms:*"));
    String root = "arn:aws:iam::" + accountOf(keyArn) + ":root";
    if (!root.equals(provider().principal())) {
      st.add(allow(root, "kms:*"));
    }
    st.addAll(Arrays.asList(extra));
    return policy(st.toArray(new String[0]));
  }

  private static KeyProviderException failure(Runnable r) {
    try {
      r.run();
    } catch (KeyProviderException e) {
      return e;
    }
    throw new AssertionError("expected a KeyProviderException");
  }

  // ---------------------------------------------------------------- data keys

  @Test
  void generateDataKeyRoundTrip() {
    KeyDescription key = newKey("round trip");
    try (DataKey dk = provider().generateDataKey(key.keyId(), CTX)) {
      assertThat(dk.plaintext().length()).isEqualTo(32);
      assertThat(dk.wrapped().keyId()).contains(key.keyId());
      assertDecryptsTo(provider(), dk.wrapped(), CTX, plaintext(dk.plaintext()));
    }
  }

  @Test
  void generateDataKeyByKeyArnAliasNameAndAliasArn() {
    KeyDescription key = newKey("by alias");
    admin().createAlias("alias/contract-test", key.keyId());
    String aliasArn = key.arn().substring(0, key.arn().indexOf(":key/")) + ":alias/contract-test";
    for (String ref : List.of(key.arn(), "alias/contract-test", aliasArn)) {
      try (DataKey dk = provider().generateDataKey(ref, CTX)) {
        assertThat(dk.wrapped().keyId()).contains(key.keyId());
        assertDecryptsTo(provider(), dk.wrapped(), CTX, plaintext(dk.plaintext()));
      }
    }
  }

  @Test
  void decryptAcceptsAliasAsKeyId() {
    KeyDescription key = newKey("decrypt by alias");
    admin().createAlias("alias/decrypt-by-alias", key.keyId());
    try (DataKey dk = provider().generateDataKey(key.keyId(), CTX)) {
      WrappedKey byAlias = WrappedKey.of("alias/decrypt-by-alias", dk.wrapped().ciphertextBlob());
      assertDecryptsTo(provider(), byAlias, CTX, plaintext(dk.plaintext()));
    }
  }

  @Test
  void dataKeysAreFreshAndNeverPrinted() {
    KeyDescription key = newKey("fresh");
    try (DataKey a = provider().generateDataKey(key.keyId(), CTX);
        DataKey b = provider().generateDataKey(key.keyId(), CTX)) {
      assertThat(a.plaintext().contentEquals(b.plaintext())).isFalse();
      assertThat(a.wrapped()).isNotEqualTo(b.wrapped());
      String hex = HexFormat.of().formatHex(plaintext(a.plaintext()));
      assertThat(a.toString()).doesNotContain(hex).contains("redacted");
      assertThat(a.plaintext().toString()).doesNotContain(hex);
    }
  }

  @Test
  void emptyAndUnicodeContextsWork() {
    KeyDescription key = newKey("contexts");
    EncryptionContext unicode =
        EncryptionContext.of("table", "caf\u00e9 \u65e5\u672c", "purpose", "index");
    for (EncryptionContext ctx : List.of(EncryptionContext.empty(), unicode)) {
      try (DataKey dk = provider().generateDataKey(key.keyId(), ctx)) {
        assertDecryptsTo(provider(), dk.wrapped(), ctx, plaintext(dk.plaintext()));
      }
    }
  }

  @Test
  void unknownKeyOrAliasIsNotFound() {
    String missing = UUID.randomUUID().toString();
    KeyProviderException e = failure(() -> provider().generateDataKey(missing, CTX));
    assertThat(e).isInstanceOf(NotFoundException.class);
    assertThat(e.errorCode()).isEqualTo("NotFoundException");
    assertThatThrownBy(() -> provider().generateDataKey("alias/no-such-alias", CTX))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> provider().describeKey(missing)).isInstanceOf(NotFoundException.class);
  }

  // ---------------------------------------------------------------- encryption context and blob
  // integrity

  @Test
  void contextWithAnotherValueIsRejected() {
    KeyDescription key = newKey("ctx value");
    try (DataKey dk = provider().generateDataKey(key.keyId(), CTX)) {
      EncryptionContext other =
          EncryptionContext.of("store", "s-1", "table", "t-2", "purpose", "page", "version", "1");
      KeyProviderException e = failure(() -> provider().decrypt(dk.wrapped(), other));
      assertThat(e).isInstanceOf(InvalidCiphertextException.class);
      assertThat(e.errorCode()).isEqualTo("InvalidCiphertextException");
    }
  }

  @Test
  void contextWithMissingOrExtraPairIsRejected() {
    KeyDescription key = newKey("ctx pairs");
    try (DataKey dk = provider().generateDataKey(key.keyId(), CTX)) {
      EncryptionContext missing =
          EncryptionContext.of("store", "s-1", "table", "t-1", "purpose", "page");
      EncryptionContext extra =
          EncryptionContext.of(
              "store", "s-1", "table", "t-1", "purpose", "page", "version", "1", "x", "y");
      for (EncryptionContext ctx : List.of(missing, extra, EncryptionContext.empty())) {
        assertThatThrownBy(() -> provider().decrypt(dk.wrapped(), ctx))
            .isInstanceOf(InvalidCiphertextException.class);
      }
    }
  }

  @Test
  void emptyContextBlobRejectsAnyContext() {
    KeyDescription key = newKey("empty ctx");
    try (DataKey dk = provider().generateDataKey(key.keyId(), EncryptionContext.empty())) {
      assertThatThrownBy(() -> provider().decrypt(dk.wrapped(), EncryptionContext.of("a", "b")))
          .isInstanceOf(InvalidCiphertextException.class);
    }
  }

  @Test
  void tamperedBlobIsRejected() {
    KeyDescription key = newKey("tamper");
    try (DataKey dk = provider().generateDataKey(key.keyId(), CTX)) {
      byte[] blob = dk.wrapped().ciphertextBlob();
      List<Integer> positions = new ArrayList<>();
      for (int i = 0; i < blob.length; i += Math.max(1, blob.length / 16)) {
        positions.add(i);
      }
      positions.add(blob.length - 1);
      for (int pos : positions) {
        byte[] bad = blob.clone();
        bad[pos] ^= 0x01;
        assertThatThrownBy(() -> provider().decrypt(WrappedKey.of(dk.wrapped().keyId(), bad), CTX))
            .as("flipped bit in byte %d of %d", pos, blob.length)
            .isInstanceOf(InvalidCiphertextException.class);
      }
    }
  }

  @Test
  void truncatedOrGarbageBlobIsRejected() {
    KeyDescription key = newKey("truncate");
    try (DataKey dk = provider().generateDataKey(key.keyId(), CTX)) {
      byte[] blob = dk.wrapped().ciphertextBlob();
      for (int len : List.of(blob.length - 1, blob.length / 2, 1)) {
        byte[] cut = Arrays.copyOf(blob, len);
        assertThatThrownBy(() -> provider().decrypt(WrappedKey.of(dk.wrapped().keyId(), cut), CTX))
            .isInstanceOf(InvalidCiphertextException.class);
      }
      byte[] garbage = "definitely not a ciphertext blob".getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(
              () -> provider().decrypt(WrappedKey.of(dk.wrapped().keyId(), garbage), CTX))
          .isInstanceOf(InvalidCiphertextException.class);
    }
  }

  @Test
  void blobNamedWithAnotherKeyIsIncorrectKey() {
    KeyDescription a = newKey("a");
    KeyDescription b = newKey("b");
    try (DataKey dk = provider().generateDataKey(a.keyId(), CTX)) {
      WrappedKey mislabelled = WrappedKey.of(b.arn(), dk.wrapped().ciphertextBlob());
      KeyProviderException e = failure(() -> provider().decrypt(mislabelled, CTX));
      assertThat(e).isInstanceOf(IncorrectKeyException.class);
      assertThat(e.errorCode()).isEqualTo("IncorrectKeyException");
    }
  }

  // ---------------------------------------------------------------- encrypt and re-encrypt

  @Test
  void encryptDecryptRoundTrip() {
    KeyDescription key = newKey("encrypt");
    byte[] secret = "a 32-byte key moved between keys".getBytes(StandardCharsets.US_ASCII);
    try (SecretBytes s = SecretBytes.copyOf(secret)) {
      WrappedKey wrapped = provider().encrypt(key.keyId(), s, CTX);
      assertThat(wrapped.keyId()).contains(key.keyId());
      assertDecryptsTo(provider(), wrapped, CTX, secret);
      assertThatThrownBy(() -> provider().decrypt(wrapped, EncryptionContext.empty()))
          .isInstanceOf(InvalidCiphertextException.class);
    }
  }

  @Test
  void encryptAcceptsUpTo4096Bytes() {
    KeyDescription key = newKey("limit");
    try (SecretBytes max = SecretBytes.wrap(new byte[4096]);
        SecretBytes over = SecretBytes.wrap(new byte[4097])) {
      WrappedKey wrapped = provider().encrypt(key.keyId(), max, CTX);
      assertDecryptsTo(provider(), wrapped, CTX, new byte[4096]);
      KeyProviderException e = failure(() -> provider().encrypt(key.keyId(), over, CTX));
      assertThat(e).isInstanceOf(KmsValidationException.class);
      assertThat(e.errorCode()).isEqualTo("ValidationException");
    }
  }

  @Test
  void reEncryptToAnotherKey() {
    KeyDescription a = newKey("source");
    KeyDescription b = newKey("destination");
    try (DataKey dk = provider().generateDataKey(a.keyId(), CTX)) {
      WrappedKey moved = provider().reEncrypt(dk.wrapped(), CTX, b.keyId());
      assertThat(moved.keyId()).contains(b.keyId());
      assertDecryptsTo(provider(), moved, CTX, plaintext(dk.plaintext()));
      assertDecryptsTo(provider(), dk.wrapped(), CTX, plaintext(dk.plaintext()));
      assertThatThrownBy(
              () -> provider().decrypt(WrappedKey.of(a.arn(), moved.ciphertextBlob()), CTX))
          .isInstanceOf(IncorrectKeyException.class);
    }
  }

  @Test
  void reEncryptChecksTheContext() {
    KeyDescription a = newKey("source");
    KeyDescription b = newKey("destination");
    try (DataKey dk = provider().generateDataKey(a.keyId(), CTX)) {
      assertThatThrownBy(
              () -> provider().reEncrypt(dk.wrapped(), EncryptionContext.of("x", "y"), b.keyId()))
          .isInstanceOf(InvalidCiphertextException.class);
    }
  }

  @Test
  void reEncryptToCurrentVersionAfterRotation() {
    KeyDescription key = newKey("rewrap");
    try (DataKey dk = provider().generateDataKey(key.keyId(), CTX)) {
      admin().rotateKeyOnDemand(key.keyId());
      WrappedKey rewrapped = provider().reEncrypt(dk.wrapped(), CTX, key.keyId());
      assertThat(rewrapped.ciphertextBlob()).isNotEqualTo(dk.wrapped().ciphertextBlob());
      assertThat(rewrapped.keyId()).contains(key.keyId());
      assertDecryptsTo(provider(), rewrapped, CTX, plaintext(dk.plaintext()));
    }
  }

  // ---------------------------------------------------------------- key states

  @Test
  void disabledKeyRefusesUntilEnabled() {
    KeyDescription key = newKey("disable");
    try (DataKey dk = provider().generateDataKey(key.keyId(), CTX)) {
      admin().disableKey(key.keyId());
      assertThat(provider().describeKey(key.keyId()).state()).isEqualTo(KeyState.DISABLED);
      KeyProviderException e = failure(() -> provider().decrypt(dk.wrapped(), CTX));
      assertThat(e).isInstanceOf(DisabledException.class);
      assertThat(e.errorCode()).isEqualTo("DisabledException");
      assertThatThrownBy(() -> provider().generateDataKey(key.keyId(), CTX))
          .isInstanceOf(DisabledException.class);
      try (SecretBytes s = SecretBytes.wrap(new byte[16])) {
        assertThatThrownBy(() -> provider().encrypt(key.keyId(), s, CTX))
            .isInstanceOf(DisabledException.class);
      }
      admin().enableKey(key.keyId());
      assertThat(provider().describeKey(key.keyId()).state()).isEqualTo(KeyState.ENABLED);
      assertDecryptsTo(provider(), dk.wrapped(), CTX, plaintext(dk.plaintext()));
    }
  }

  @Test
  void pendingDeletionRefusesAndCancelLeavesDisabled() {
    KeyDescription key = newKey("schedule");
    try (DataKey dk = provider().generateDataKey(key.keyId(), CTX)) {
      Instant when = admin().scheduleKeyDeletion(key.keyId(), 7);
      assertThat(when).isAfterOrEqualTo(START.plus(Duration.ofDays(7)));
      KeyDescription d = provider().describeKey(key.keyId());
      assertThat(d.state()).isEqualTo(KeyState.PENDING_DELETION);
      assertThat(d.deletionDate()).contains(when);
      KeyProviderException e = failure(() -> provider().decrypt(dk.wrapped(), CTX));
      assertThat(e).isInstanceOf(KmsInvalidStateException.class);
      assertThat(e.errorCode()).isEqualTo("KMSInvalidStateException");
      assertThat(e.getMessage()).contains(key.arn());
      assertThatThrownBy(() -> provider().generateDataKey(key.keyId(), CTX))
          .isInstanceOf(KmsInvalidStateException.class);
      assertThatThrownBy(() -> admin().enableKey(key.keyId()))
          .isInstanceOf(KmsInvalidStateException.class);

      admin().cancelKeyDeletion(key.keyId());
      assertThat(provider().describeKey(key.keyId()).state()).isEqualTo(KeyState.DISABLED);
      assertThatThrownBy(() -> provider().decrypt(dk.wrapped(), CTX))
          .isInstanceOf(DisabledException.class);
      admin().enableKey(key.keyId());
      assertDecryptsTo(provider(), dk.wrapped(), CTX, plaintext(dk.plaintext()));
    }
  }

  @Test
  void deletionWindowMustBe7To30Days() {
    KeyDescription key = newKey("window");
    for (int days : new int[] {0, 6, 31, 365}) {
      KeyProviderException e = failure(() -> admin().scheduleKeyDeletion(key.keyId(), days));
      assertThat(e).as("%d days", days).isInstanceOf(KmsValidationException.class);
      assertThat(e.errorCode()).isEqualTo("ValidationException");
    }
    assertThat(provider().describeKey(key.keyId()).state()).isEqualTo(KeyState.ENABLED);
    assertThat(admin().scheduleKeyDeletion(key.keyId(), 30))
        .isAfterOrEqualTo(START.plus(Duration.ofDays(30)));
  }

  @Test
  void keyIsGoneAfterTheWaitingPeriod() {
    KeyDescription key = newKey("delete");
    KeyDescription other = newKey("survivor");
    admin().createAlias("alias/doomed", key.keyId());
    try (DataKey dk = provider().generateDataKey(key.keyId(), CTX);
        DataKey kept = provider().generateDataKey(other.keyId(), CTX)) {
      Instant when = admin().scheduleKeyDeletion(key.keyId(), 7);
      clock.advance(Duration.between(clock.instant(), when).minusMinutes(1));
      assertThat(provider().describeKey(key.keyId()).state()).isEqualTo(KeyState.PENDING_DELETION);
      clock.advance(Duration.ofMinutes(2));
      assertThatThrownBy(() -> provider().describeKey(key.keyId()))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> provider().generateDataKey(key.keyId(), CTX))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> provider().generateDataKey("alias/doomed", CTX))
          .isInstanceOf(NotFoundException.class);
      KeyProviderException e = failure(() -> provider().decrypt(dk.wrapped(), CTX));
      assertThat(e).isInstanceOfAny(NotFoundException.class, InvalidCiphertextException.class);
      assertThatThrownBy(() -> admin().cancelKeyDeletion(key.keyId()))
          .isInstanceOf(NotFoundException.class);
      assertThat(admin().listKeys()).extracting(KeyDescription::keyId).doesNotContain(key.keyId());
      assertDecryptsTo(provider(), kept.wrapped(), CTX, plaintext(kept.plaintext()));
    }
  }

  // ---------------------------------------------------------------- rotation

  @Test
  void automaticRotationWhenThePeriodPasses() {
    KeyDescription key = newKey("auto rotate");
    assertThat(admin().getKeyRotationStatus(key.keyId()).keyRotationEnabled()).isFalse();
    admin().enableKeyRotation(key.keyId(), 90);
    KeyRotationStatus status = admin().getKeyRotationStatus(key.keyId());
    assertThat(status.keyRotationEnabled()).isTrue();
    assertThat(status.rotationPeriodInDays()).isEqualTo(90);
    assertThat(status.nextRotationDate()).isEqualTo(START.plus(Duration.ofDays(90)));
    int before = provider().describeKey(key.keyId()).currentKeyVersion();
    try (DataKey old = provider().generateDataKey(key.keyId(), CTX)) {
      clock.advance(Duration.ofDays(89));
      assertThat(provider().describeKey(key.keyId()).currentKeyVersion()).isEqualTo(before);
      clock.advance(Duration.ofDays(2));
      KeyDescription after = provider().describeKey(key.keyId());
      if (before > 0) {
        assertThat(after.currentKeyVersion()).isEqualTo(before + 1);
      }
      assertThat(admin().getKeyRotationStatus(key.keyId()).nextRotationDate())
          .isEqualTo(START.plus(Duration.ofDays(180)));
      assertDecryptsTo(provider(), old.wrapped(), CTX, plaintext(old.plaintext()));
      try (DataKey fresh = provider().generateDataKey(key.keyId(), CTX)) {
        assertDecryptsTo(provider(), fresh.wrapped(), CTX, plaintext(fresh.plaintext()));
      }
    }
  }

  @Test
  void rotationPeriodMustBe90To2560Days() {
    KeyDescription key = newKey("period");
    for (int days : new int[] {1, 89, 2561}) {
      assertThatThrownBy(() -> admin().enableKeyRotation(key.keyId(), days))
          .as("%d days", days)
          .isInstanceOf(KmsValidationException.class);
    }
    admin().enableKeyRotation(key.keyId(), 2560);
    assertThat(admin().getKeyRotationStatus(key.keyId()).rotationPeriodInDays()).isEqualTo(2560);
    admin().disableKeyRotation(key.keyId());
    assertThat(admin().getKeyRotationStatus(key.keyId()).keyRotationEnabled()).isFalse();
  }

  @Test
  void onDemandRotationKeepsOldBlobsReadable() {
    KeyDescription key = newKey("on demand");
    int v1 = provider().describeKey(key.keyId()).currentKeyVersion();
    List<DataKey> keys = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        keys.add(provider().generateDataKey(key.keyId(), CTX));
        admin().rotateKeyOnDemand(key.keyId());
      }
      int v4 = provider().describeKey(key.keyId()).currentKeyVersion();
      if (v1 > 0) {
        assertThat(v4).isEqualTo(v1 + 3);
      }
      assertThat(admin().getKeyRotationStatus(key.keyId()).onDemandRotationStartDate())
          .as("the on-demand rotation has finished")
          .isNull();
      for (DataKey dk : keys) {
        assertDecryptsTo(provider(), dk.wrapped(), CTX, plaintext(dk.plaintext()));
      }
    } finally {
      keys.forEach(DataKey::close);
    }
  }

  @Test
  void disabledKeyCannotRotateOnDemand() {
    KeyDescription key = newKey("rotate disabled");
    admin().disableKey(key.keyId());
    assertThatThrownBy(() -> admin().rotateKeyOnDemand(key.keyId()))
        .isInstanceOfAny(DisabledException.class, KmsInvalidStateException.class);
  }

  // ---------------------------------------------------------------- policies

  @Test
  void principalWithoutDecryptIsDenied() {
    KeyDescription key = newKey("policy");
    KeyProvider bob = fixture.as("bob");
    try (DataKey dk = provider().generateDataKey(key.keyId(), CTX)) {
      AccessDeniedException e =
          catchThrowableOfType(AccessDeniedException.class, () -> bob.decrypt(dk.wrapped(), CTX));
      assertThat(e).isNotNull();
      assertThat(e.errorCode()).isEqualTo("AccessDeniedException");
      assertThat(e.getMessage())
          .contains(bob.principal())
          .contains(":user/bob")
          .contains("kms:Decrypt")
          .contains(key.arn());
      assertThatThrownBy(() -> bob.generateDataKey(key.keyId(), CTX))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("kms:GenerateDataKey");
    }
  }

  @Test
  void putKeyPolicyGrantingDecryptLetsBobDecryptOnly() {
    KeyDescription key = newKey("grant");
    KeyProvider bob = fixture.as("bob");
    try (DataKey dk = provider().generateDataKey(key.keyId(), CTX)) {
      admin()
          .putKeyPolicy(key.keyId(), ownerPolicy(key.arn(), allow(bob.principal(), "kms:Decrypt")));
      assertDecryptsTo(bob, dk.wrapped(), CTX, plaintext(dk.plaintext()));
      assertThatThrownBy(() -> bob.generateDataKey(key.keyId(), CTX))
          .isInstanceOf(AccessDeniedException.class);
      assertThatThrownBy(() -> bob.reEncrypt(dk.wrapped(), CTX, key.keyId()))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("kms:ReEncrypt");
      assertThat(admin().getKeyPolicy(key.keyId())).contains(bob.principal());
    }
  }

  @Test
  void wildcardActionsAndExplicitDeny() {
    KeyDescription key = newKey("deny");
    KeyProvider bob = fixture.as("bob");
    KeyProvider carol = fixture.as("carol");
    admin()
        .putKeyPolicy(
            key.keyId(),
            ownerPolicy(
                key.arn(),
                allow(bob.principal(), "kms:GenerateDataKey*", "kms:Decrypt"),
                allow(carol.principal(), "kms:*"),
                deny(carol.principal(), "kms:Decrypt")));
    try (DataKey dk = bob.generateDataKey(key.keyId(), CTX)) {
      assertDecryptsTo(bob, dk.wrapped(), CTX, plaintext(dk.plaintext()));
      assertThatThrownBy(() -> carol.decrypt(dk.wrapped(), CTX))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining(carol.principal());
      carol.generateDataKey(key.keyId(), CTX).close();
    }
  }

  @Test
  void policyThatLocksTheCallerOutIsRefused() {
    KeyDescription key = newKey("lockout");
    String before = admin().getKeyPolicy(key.keyId());
    String onlyBob = policy(allow(fixture.as("bob").principal(), "kms:*"));
    KeyProviderException e = failure(() -> admin().putKeyPolicy(key.keyId(), onlyBob));
    assertThat(e).isInstanceOf(MalformedPolicyDocumentException.class);
    assertThat(e.errorCode()).isEqualTo("MalformedPolicyDocumentException");
    assertThat(admin().getKeyPolicy(key.keyId())).isEqualTo(before);
    try (DataKey dk = provider().generateDataKey(key.keyId(), CTX)) {
      assertDecryptsTo(provider(), dk.wrapped(), CTX, plaintext(dk.plaintext()));
    }
  }

  @Test
  void malformedPolicyIsRefused() {
    KeyDescription key = newKey("malformed");
    for (String bad : List.of("{not json", "{}", "[]")) {
      assertThatThrownBy(() -> admin().putKeyPolicy(key.keyId(), bad))
          .as(bad)
          .isInstanceOf(MalformedPolicyDocumentException.class);
    }
  }

  @Test
  void createKeyWithPolicyThatGrantsBob() {
    KeyDescription probe = newKey("probe");
    KeyProvider bob = fixture.as("bob");
    KeyDescription key =
        admin()
            .createKey(
                new CreateKeyRequest(
                    "with policy",
                    ownerPolicy(
                        probe.arn(), allow(bob.principal(), "kms:GenerateDataKey", "kms:Decrypt")),
                    Map.of("team", "storage")));
    try (DataKey dk = bob.generateDataKey(key.keyId(), CTX)) {
      assertDecryptsTo(bob, dk.wrapped(), CTX, plaintext(dk.plaintext()));
    }
  }

  // ---------------------------------------------------------------- describe

  @Test
  void describeKeyReportsArnStateDatesAndAliases() {
    KeyDescription created = newKey("described");
    admin().createAlias("alias/described", created.keyId());
    KeyDescription d = provider().describeKey("alias/described");
    assertThat(d.keyId()).isEqualTo(created.keyId());
    assertThat(d.arn()).startsWith("arn:").contains(":kms:").endsWith(":key/" + created.keyId());
    assertThat(d.state()).isEqualTo(KeyState.ENABLED);
    assertThat(d.description()).isEqualTo("described");
    assertThat(d.deletionDate()).isEmpty();
    assertThat(d.rotationEnabled()).isFalse();
  }

  // ---------------------------------------------------------------- audit

  @Test
  void auditRecordsSuccessDenialAndFailure() {
    KeyDescription key = newKey("audited");
    KeyProvider bob = fixture.as("bob");
    try (DataKey dk = provider().generateDataKey(key.keyId(), CTX)) {
      provider().decrypt(dk.wrapped(), CTX).close();
      assertThatThrownBy(() -> bob.decrypt(dk.wrapped(), CTX))
          .isInstanceOf(AccessDeniedException.class);
      assertThatThrownBy(() -> provider().decrypt(dk.wrapped(), EncryptionContext.of("x", "y")))
          .isInstanceOf(InvalidCiphertextException.class);
    }
    List<AuditRecord> decrypts =
        fixture.auditRecords().stream().filter(r -> r.action().equals("kms:Decrypt")).toList();
    AuditRecord ok =
        decrypts.stream()
            .filter(r -> r.outcome() == AuditOutcome.SUCCESS)
            .findFirst()
            .orElseThrow();
    assertThat(ok.principal()).isEqualTo(provider().principal());
    assertThat(ok.keyId()).contains(key.keyId());
    assertThat(ok.encryptionContext()).isEqualTo(CTX);
    assertThat(ok.errorCode()).isEmpty();
    assertThat(ok.time()).isNotNull();

    AuditRecord denied =
        decrypts.stream().filter(r -> r.outcome() == AuditOutcome.DENIED).findFirst().orElseThrow();
    assertThat(denied.principal()).isEqualTo(bob.principal());
    assertThat(denied.keyId()).contains(key.keyId());
    assertThat(denied.errorCode()).isEqualTo("AccessDeniedException");
    assertThat(denied.encryptionContext()).isEqualTo(CTX);

    AuditRecord failed =
        decrypts.stream().filter(r -> r.outcome() == AuditOutcome.FAILED).findFirst().orElseThrow();
    assertThat(failed.errorCode()).isEqualTo("InvalidCiphertextException");
    assertThat(failed.encryptionContext()).isEqualTo(EncryptionContext.of("x", "y"));

    assertThat(fixture.auditRecords())
        .anySatisfy(
            r -> {
              assertThat(r.action()).isEqualTo("kms:GenerateDataKey");
              assertThat(r.outcome()).isEqualTo(AuditOutcome.SUCCESS);
              assertThat(r.keyId()).contains(key.keyId());
            });
  }

  @Test
  void auditNeverContainsKeyMaterial() {
    KeyDescription key = newKey("no leaks");
    String hex;
    String b64;
    try (DataKey dk = provider().generateDataKey(key.keyId(), CTX)) {
      byte[] p = plaintext(dk.plaintext());
      hex = HexFormat.of().formatHex(p);
      b64 = Base64.getEncoder().encodeToString(p);
      provider().decrypt(dk.wrapped(), CTX).close();
    }
    for (AuditRecord r : fixture.auditRecords()) {
      assertThat(r.toString()).doesNotContain(hex).doesNotContain(b64);
    }
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  void concurrentGenerateAndDecrypt() throws Exception {
    KeyDescription key = newKey("concurrent");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 25; i++) {
                    try (DataKey dk = provider().generateDataKey(key.keyId(), CTX);
                        SecretBytes back = provider().decrypt(dk.wrapped(), CTX)) {
                      if (!back.contentEquals(dk.plaintext())) {
                        return false;
                      }
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Creates a fresh fixture whose key service reads time from {@code clock}. */
  protected abstract Fixture newFixture(MutableClock clock);

  /** A clock tests move by hand. Thread-safe. */
  public static final class MutableClock extends Clock {
    private volatile Instant now;

    public MutableClock(Instant start) {
      this.now = start;
    }

    public void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
