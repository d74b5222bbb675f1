package dev.coffer.cli;

import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.aws.AwsKmsKeyProvider;
import dev.coffer.kms.endpoint.KmsEndpoint;
import dev.coffer.kms.local.LocalKeyProvider;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The demo's keys: a master key owned by alice in a local keystore, used either directly through
 * the {@code local:} provider, or through the {@code aws-kms:} provider (the AWS SDK over HTTP)
 * talking to a KMS-compatible endpoint backed by that keystore. {@link #close()} closes everything
 * it opened.
 */
final class DemoKeys implements AutoCloseable {
  private final String description;
  private final KeyProvider owner;
  private final KeyManagement admin;
  private final String keyId;
  private final Bob bob;
  private final List<AutoCloseable> resources;

  /** Opens a provider acting as bob. */
  @FunctionalInterface
  interface Bob {
    KeyProvider open();
  }

  private DemoKeys(
      String description,
      KeyProvider owner,
      KeyManagement admin,
      String keyId,
      Bob bob,
      List<AutoCloseable> resources) {
    this.description = description;
    this.owner = owner;
    this.admin = admin;
    this.keyId = keyId;
    this.bob = bob;
    this.resources = resources;
  }

  /** alice's key in a local keystore, used through the {@code local:} provider. */
  static DemoKeys local(Path keystore, char[] passphrase, AuditSink audit) {
    long t0 = System.nanoTime();
    LocalKeyProvider alice =
        LocalKeyProvider.builder()
            .keystore(keystore)
            .passphrase(passphrase.clone())
            .principal("alice")
            .auditSink(audit)
            .build();
    long deriveMillis = (System.nanoTime() - t0) / 1_000_000;
    KeyDescription key = createKey(alice);
    String text =
        String.format(
            "Keystore %s created (Argon2id passphrase, %d ms to derive its key).%n"
                + "   Master key %s (alias/coffer-demo), owned by %s; provider local:%s",
            keystore.getFileName(), deriveMillis, key.arn(), alice.principal(), keystore);
    List<AutoCloseable> resources = new ArrayList<>();
    resources.add(alice);
    return new DemoKeys(text, alice, alice, key.arn(), () -> alice.asPrincipal("bob"), resources);
  }

  /**
   * alice's key in a local keystore served by a KMS-compatible endpoint on loopback, used through
   * the {@code aws-kms:} provider with alice's access key (bob has his own).
   */
  static DemoKeys awsKms(Path keystore, char[] passphrase, AuditSink audit) {
    LocalKeyProvider service =
        LocalKeyProvider.builder()
            .keystore(keystore)
            .passphrase(passphrase.clone())
            .principal("alice")
            .auditSink(audit)
            .build();
    List<AutoCloseable> resources = new ArrayList<>();
    resources.add(service);
    try {
      KeyDescription key = createKey(service);
      String aliceSecret = randomSecret();
      String bobSecret = randomSecret();
      KmsEndpoint endpoint =
          KmsEndpoint.builder()
              .keys(service)
              .credentials("AKIAALICEDEMO", aliceSecret, "alice")
              .credentials("AKIABOBDEMO0", bobSecret, "bob")
              .start();
      resources.add(0, endpoint);
      AwsKmsKeyProvider alice =
          awsProvider(endpoint.endpointUri(), "AKIAALICEDEMO", aliceSecret, "alice", key.arn());
      resources.add(0, alice);
      String text =
          String.format(
              "Keystore %s served by a KMS-compatible endpoint at %s (SigV4, access keys for"
                  + " alice and bob).%n   Master key %s, used through the aws-kms: provider (AWS SDK for Java v2) as alice",
              keystore.getFileName(), endpoint.endpointUri(), key.arn());
      return new DemoKeys(
          text,
          alice,
          service,
          key.arn(),
          () -> awsProvider(endpoint.endpointUri(), "AKIABOBDEMO0", bobSecret, "bob", key.arn()),
          resources);
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
  }

  private static AwsKmsKeyProvider awsProvider(
      URI endpoint, String accessKey, String secret, String who, String key) {
    return AwsKmsKeyProvider.builder()
        .region("us-east-1")
        .endpointOverride(endpoint)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
        .principal(who)
        .defaultKeyId(key)
        .auditSink(AuditSink.none())
        .build();
  }

  private static KeyDescription createKey(LocalKeyProvider alice) {
    KeyDescription key =
        alice.createKey(CreateKeyRequest.withDescription("coffer demo master key"));
    alice.createAlias("alias/coffer-demo", key.keyId());
    return key;
  }

  private static String randomSecret() {
    byte[] b = new byte[30];
    new SecureRandom().nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  String description() {
    return description;
  }

  /** The provider the store is opened with (acting as alice). */
  KeyProvider owner() {
    return owner;
  }

  /** Key administration as alice, on the key service itself. */
  KeyManagement admin() {
    return admin;
  }

  /** The master key's ARN. */
  String keyId() {
    return keyId;
  }

  /** A new provider acting as bob; the caller closes it. */
  KeyProvider bob() {
    return bob.open();
  }

  @Override
  public void close() {
    closeAll(resources);
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        // closing demo resources: nothing useful to do with a failure here
      }
    }
  }
}
