package dev.coffer.kms.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.LimitExceededException;
import dev.coffer.kms.ManagedKeyProvider;
import dev.coffer.kms.TagException;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.proto.KeystoreContents;
import dev.coffer.proto.MasterKey;
import dev.coffer.proto.MasterKeyState;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The IAM side of the key policies (the keystore's account policy), account-level actions and the
 * quotas, with AWS's evaluation: explicit Deny anywhere wins; a key policy naming the caller
 * allows; one naming the account allows when the account policy does too; else deny.
 */
class AccountPolicyTest {
  private final InMemoryKeyProvider root =
      InMemoryKeyProvider.builder().auditSink(AuditSink.none()).build();
  private final InMemoryKeyProvider bob = root.asPrincipal("bob");
  private final EncryptionContext ctx = EncryptionContext.of("k", "v");

  private static String policy(String... statements) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
  }

  private static String statement(
      String effect, String principal, String actions, String resource) {
    return "{\"Effect\":\""
        + effect
        + "\",\"Principal\":{\"AWS\":\""
        + principal
        + "\"},\"Action\":"
        + actions
        + ",\"Resource\":\""
        + resource
        + "\"}";
  }

  @Test
  void aPrincipalWithNoGrantsCannotUseAccountLevelActions() {
    String key = root.createKey(CreateKeyRequest.withDescription("k")).keyId();
    assertThatThrownBy(() -> bob.createKey(CreateKeyRequest.withDescription("mine")))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("kms:CreateKey on resource: *")
        .hasMessageContaining("because no identity-based policy allows the kms:CreateKey action");
    assertThatThrownBy(bob::listKeys).isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> bob.listAliases(null)).isInstanceOf(AccessDeniedException.class);
    // Alias squatting: bob cannot point a name others will use at a key of his choosing.
    assertThatThrownBy(() -> bob.createAlias("alias/app", key))
        .isInstanceOf(AccessDeniedException.class);
    assertThat(root.listAliases(null)).isEmpty();
  }

  @Test
  void theAccountPolicyGrantsAccountLevelActionsPerResource() {
    String key = root.createKey(CreateKeyRequest.withDescription("k")).keyId();
    root.putAccountPolicy(
        policy(
            statement(
                "Allow",
                "arn:aws:iam::111122223333:user/bob",
                "[\"kms:CreateKey\",\"kms:CreateAlias\"]",
                "*"),
            statement(
                "Deny",
                "111122223333",
                "\"kms:CreateAlias\"",
                "arn:aws:kms:*:111122223333:alias/prod*")));
    String bobs = bob.createKey(CreateKeyRequest.withDescription("bob's")).keyId();
    bob.createAlias("alias/bob", bobs);
    assertThatThrownBy(() -> bob.createAlias("alias/prod-db", bobs))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("with an explicit deny in an identity-based policy");
    // root's key has the default policy, which names the account: the account policy's Allow on "*"
    // covers the key side of CreateAlias too, as in AWS.
    bob.createAlias("alias/other", key);
    root.putKeyPolicy(
        key,
        policy(
            statement("Allow", "arn:aws:iam::111122223333:root", "\"kms:*\"", "*"),
            statement("Deny", "arn:aws:iam::111122223333:user/bob", "\"kms:*\"", "*")));
    assertThatThrownBy(() -> bob.createAlias("alias/another", key))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("with an explicit deny in a resource-based policy");
    assertThat(root.getAccountPolicy()).contains("kms:CreateKey");
    assertThatThrownBy(bob::getAccountPolicy).isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> bob.putAccountPolicy("")).isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void aKeyPolicyNamingTheAccountDelegatesToTheAccountPolicy() {
    String key =
        root.createKey(CreateKeyRequest.withDescription("k"))
            .keyId(); // default: root (the account) + creator
    var blob = root.generateDataKey(key, ctx).wrapped();
    assertThatThrownBy(() -> bob.decrypt(blob, ctx))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("because no resource-based policy allows the kms:Decrypt action");
    root.putAccountPolicy(
        policy(
            statement(
                "Allow",
                "arn:aws:iam::111122223333:user/bob",
                "\"kms:Decrypt\"",
                "arn:aws:kms:us-east-1:111122223333:key/" + key)));
    bob.decrypt(blob, ctx).close();
    assertThatThrownBy(() -> bob.generateDataKey(key, ctx))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void anExplicitDenyInTheAccountPolicyBeatsAKeyPolicyAllow() {
    String key =
        root.createKey(
                new CreateKeyRequest(
                    "k",
                    policy(
                        statement("Allow", "arn:aws:iam::111122223333:root", "\"kms:*\"", "*"),
                        statement(
                            "Allow", "arn:aws:iam::111122223333:user/bob", "\"kms:Decrypt\"", "*")),
                    null))
            .keyId();
    var blob = root.generateDataKey(key, ctx).wrapped();
    bob.decrypt(blob, ctx).close();
    root.putAccountPolicy(
        policy(statement("Deny", "arn:aws:iam::111122223333:user/BOB", "\"kms:*\"", "*")));
    assertThatThrownBy(() -> bob.decrypt(blob, ctx))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("with an explicit deny in an identity-based policy");
    // The root user cannot be restricted by the account (IAM) policy.
    root.putAccountPolicy(policy(statement("Deny", "111122223333", "\"kms:*\"", "*")));
    root.decrypt(blob, ctx).close();
  }

  @Test
  void theOwnerWhoCreatedTheKeystoreMayDoEveryAccountAction() {
    InMemoryKeyProvider alice =
        InMemoryKeyProvider.builder().principal("alice").auditSink(AuditSink.none()).build();
    String key = alice.createKey(CreateKeyRequest.withDescription("alice's")).keyId();
    alice.createAlias("alias/alice", key);
    assertThat(alice.listKeys()).hasSize(1);
    alice.putAccountPolicy("");
    assertThatThrownBy(() -> alice.asPrincipal("bob").listKeys())
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void malformedPrincipalsCannotActAtAll() {
    assertThatThrownBy(() -> root.asPrincipal("arn:aws:iam::111122223333:user/*"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> root.asPrincipal("b*b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> root.asPrincipal("arn:aws:iam::1:root"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tagsFollowAwsRulesAndQuota() {
    Map<String, String> fifty = new HashMap<>();
    for (int i = 0; i < 50; i++) {
      fifty.put("k" + i, "v".repeat(256));
    }
    root.createKey(new CreateKeyRequest("ok", null, fifty));
    fifty.put("one-more", "");
    assertThatThrownBy(() -> root.createKey(new CreateKeyRequest("too many", null, fifty)))
        .isInstanceOf(LimitExceededException.class);
    assertThatThrownBy(
            () ->
                root.createKey(new CreateKeyRequest("long key", null, Map.of("k".repeat(129), ""))))
        .hasMessageContaining("between 1 and 128");
    assertThatThrownBy(
            () ->
                root.createKey(
                    new CreateKeyRequest("long value", null, Map.of("k", "v".repeat(257)))))
        .hasMessageContaining("between 0 and 256");
    assertThatThrownBy(
            () -> root.createKey(new CreateKeyRequest("reserved", null, Map.of("aws:x", ""))))
        .isInstanceOf(TagException.class);
  }

  @Test
  void aKeyHasAtMostFiftyAliases() {
    String key = root.createKey(CreateKeyRequest.withDescription("k")).keyId();
    for (int i = 0; i < 50; i++) {
      root.createAlias("alias/a" + i, key);
    }
    assertThatThrownBy(() -> root.createAlias("alias/a50", key))
        .isInstanceOf(LimitExceededException.class);
  }

  @Test
  void aChangeThatWouldOutgrowTheKeystoreIsRefusedAndChangesNothing() {
    KeyRing ring =
        new KeyRing(
            RingStore.inMemory(Arns.DEFAULT_ACCOUNT, Arns.DEFAULT_REGION, null),
            Clock.systemUTC(),
            AuditSink.none(),
            "test",
            64 * 1024);
    Actor owner = ring.actor("root", null);
    int created = 0;
    try {
      while (created < 1000) {
        ring.keys.createKey(owner, new CreateKeyRequest("x".repeat(8000), null, Map.of()));
        created++;
      }
    } catch (LimitExceededException e) {
      assertThat(e.getMessage()).contains("size limit");
    }
    assertThat(created).isBetween(1, 10);
    assertThat(ring.keys.listKeys(owner)).hasSize(created);
    assertThat(ring.state.published().contents.getSerializedSize()).isLessThanOrEqualTo(64 * 1024);
  }

  @Test
  void theManagedProviderInterfaceNamesItsAccountAndRegion() {
    ManagedKeyProvider p = root;
    assertThat(p.accountId()).isEqualTo("111122223333");
    assertThat(p.region()).isEqualTo("us-east-1");
  }

  @Test
  void anAccountHoldsAtMostAHundredThousandKeys() {
    KeystoreContents.Builder c =
        RingStore.emptyContents(Arns.DEFAULT_ACCOUNT, Arns.DEFAULT_REGION, null).toBuilder();
    for (int i = 0; i < Quotas.MAX_KEYS - 1; i++) {
      c.addKeys(
          MasterKey.newBuilder()
              .setKeyId("k" + i)
              .setState(MasterKeyState.MASTER_KEY_STATE_ENABLED));
    }
    Quotas.checkKeyCount(c.build(), "kms:CreateKey");
    c.addKeys(
        MasterKey.newBuilder()
            .setKeyId("last")
            .setState(MasterKeyState.MASTER_KEY_STATE_PENDING_DELETION));
    assertThatThrownBy(() -> Quotas.checkKeyCount(c.build(), "kms:CreateKey"))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("100000");
    c.setKeys(0, c.getKeys(0).toBuilder().setState(MasterKeyState.MASTER_KEY_STATE_DELETED));
    Quotas.checkKeyCount(c.build(), "kms:CreateKey"); // deleted keys do not count
  }
}
