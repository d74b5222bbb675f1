package dev.coffer.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.InvalidArnException;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderContext;
import dev.coffer.kms.KeyProviders;
import dev.coffer.kms.KmsValidationException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.testkit.LocalKms;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;

/** Opening aws-kms providers by URI, and what happens without the AWS SDK on the class path. */
class AwsKmsKeyProviderFactoryTest {
  private static final EncryptionContext CTX =
      EncryptionContext.of("store", "s1", "purpose", "catalog");

  @Test
  void theSchemeIsListed() {
    assertThat(KeyProviders.knownSchemes())
        .containsEntry("aws-kms", "aws-kms:<key ARN or alias ARN>");
  }

  @Test
  void aKeyArnUriOpensAProviderOnTheEndpointFromTheEnvironment() {
    try (LocalKms kms = LocalKms.start()) {
      KeyDescription key = kms.keys().createKey(CreateKeyRequest.withDescription("by uri"));
      kms.keys().createAlias("alias/by-uri", key.keyId());
      List<AuditRecord> audit = new CopyOnWriteArrayList<>();
      Map<String, String> env =
          Map.of(
              "COFFER_KMS_ENDPOINT", kms.endpoint().endpointUri().toString(),
              "AWS_ACCESS_KEY_ID", LocalKms.accessKeyId(LocalKms.OWNER),
              "AWS_SECRET_ACCESS_KEY", LocalKms.secret(LocalKms.OWNER));
      KeyProviderContext context =
          KeyProviderContext.builder()
              .environment(env::get)
              .principal("arn:aws:iam::111122223333:root")
              .auditSink(audit::add)
              .build();
      for (String uri :
          List.of(
              "aws-kms:" + key.arn(),
              "aws-kms://" + key.arn(),
              "aws-kms:arn:aws:kms:us-east-1:111122223333:alias/by-uri")) {
        try (KeyProvider p = KeyProviders.open(uri, context)) {
          assertThat(p.scheme()).isEqualTo("aws-kms");
          String keyId = p.defaultKeyId().orElseThrow();
          assertThat(uri).endsWith(keyId);
          try (DataKey dk = p.generateDataKey(keyId, CTX);
              SecretBytes back = p.decrypt(dk.wrapped(), CTX)) {
            assertThat(back.contentEquals(dk.plaintext())).isTrue();
          }
        }
      }
      assertThat(audit)
          .isNotEmpty()
          .allSatisfy(
              r -> {
                assertThat(r.source()).isEqualTo("aws-kms");
                assertThat(r.principal()).isEqualTo("arn:aws:iam::111122223333:root");
              });
    }
  }

  @Test
  void aMalformedArnIsRefused() {
    assertThatThrownBy(() -> KeyProviders.open("aws-kms:my-key", KeyProviderContext.defaults()))
        .isInstanceOf(InvalidArnException.class)
        .hasMessageContaining("arn:aws:kms:<region>:<account>:key/<key id>");
  }

  @Test
  void aMalformedEndpointIsRefused() {
    Map<String, String> env = Map.of("COFFER_KMS_ENDPOINT", "localhost:4599");
    assertThatThrownBy(
            () ->
                KeyProviders.open(
                    "aws-kms:arn:aws:kms:eu-west-1:111122223333:key/k",
                    KeyProviderContext.builder().environment(env::get).build()))
        .isInstanceOf(KmsValidationException.class)
        .hasMessageContaining("COFFER_KMS_ENDPOINT");
  }

  @Test
  void theRegionComesFromTheArn() {
    AwsKmsKeyProvider p =
        AwsKmsKeyProvider.builder()
            .defaultKeyId("arn:aws:kms:eu-west-1:111122223333:key/k")
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .build();
    try (p) {
      assertThat(p.defaultKeyId()).contains("arn:aws:kms:eu-west-1:111122223333:key/k");
    }
  }

  @Test
  void onlyTheUrlConnectionHttpClientIsOnTheClassPath() throws Exception {
    ClassLoader cl = getClass().getClassLoader();
    Class.forName("software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient", false, cl);
    for (String absent :
        List.of(
            "software.amazon.awssdk.http.apache.ApacheHttpClient",
            "software.amazon.awssdk.http.apache5.Apache5HttpClient",
            "software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient",
            "io.netty.channel.Channel",
            "org.apache.http.client.HttpClient")) {
      assertThatThrownBy(() -> Class.forName(absent, false, cl))
          .isInstanceOf(ClassNotFoundException.class);
    }
  }

  /**
   * Loads Coffer's key-provider classes in a class loader that has no AWS SDK: the factory is
   * listed, and only naming aws-kms: fails, with a message naming the missing artifacts.
   */
  @Test
  void withoutTheSdkTheFactoryLoadsAndCreateExplains() throws Exception {
    URL[] urls = {
      location(AwsKmsKeyProviderFactory.class),
      location(KeyProvider.class),
      location(LoggerFactory.class),
    };
    try (URLClassLoader isolated = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> isolated.loadClass("software.amazon.awssdk.services.kms.KmsClient"))
          .isInstanceOf(ClassNotFoundException.class);
      Class<?> providers = isolated.loadClass("dev.coffer.kms.KeyProviders");
      @SuppressWarnings("unchecked")
      Map<String, String> schemes =
          (Map<String, String>) providers.getMethod("knownSchemes").invoke(null);
      assertThat(schemes).containsKey("aws-kms");
      Method open = providers.getMethod("open", String.class);
      Throwable thrown = null;
      try {
        open.invoke(null, "aws-kms:arn:aws:kms:us-east-1:111122223333:key/k");
      } catch (InvocationTargetException e) {
        thrown = e.getCause();
      }
      assertThat(thrown).isNotNull();
      assertThat(thrown.getClass().getName()).isEqualTo("dev.coffer.kms.KeyProviderException");
      assertThat(thrown.getMessage())
          .contains("software.amazon.awssdk:kms", "url-connection-client");
    }
  }

  private static URL location(Class<?> c) {
    return c.getProtectionDomain().getCodeSource().getLocation();
  }

  @Test
  void plainHttpEndpointsOnlyOnLoopback() {
    String arn =
        "aws-kms:arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    for (String ok :
        new String[] {
          "http://127.0.0.1:4599",
          "http://localhost:1",
          "http://[::1]:80",
          "https://kms.example.com"
        }) {
      KeyProviders.open(
              arn,
              KeyProviderContext.builder()
                  .environment(Map.of(AwsKmsKeyProviderFactory.ENDPOINT_VARIABLE, ok)::get)
                  .build())
          .close();
    }
    for (String bad :
        new String[] {"http://kms.example.com", "http://10.0.0.1:4599", "ftp://127.0.0.1"}) {
      assertThatThrownBy(
              () ->
                  KeyProviders.open(
                      arn,
                      KeyProviderContext.builder()
                          .environment(Map.of(AwsKmsKeyProviderFactory.ENDPOINT_VARIABLE, bad)::get)
                          .build()))
          .as(bad)
          .isInstanceOf(KmsValidationException.class)
          .hasMessageContaining(AwsKmsKeyProviderFactory.ENDPOINT_VARIABLE);
    }
    assertThatThrownBy(
            () -> AwsKmsKeyProvider.builder().endpointOverride(URI.create("http://10.1.2.3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loopback");
  }
}
