package dev.coffer.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.coffer.testkit.fuzz.FuzzText;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Fuzz target: SigV4 verification of a request's {@code Authorization} and other headers, path,
 * query and body ({@link SigV4Verifier#verify}), with one access key ({@code AKIDEXAMPLE}) and a
 * fixed clock ({@code 2026-12-04T12:00:00Z}).
 *
 * <p><b>Documented exceptions:</b> {@link SigV4Exception} only, whose {@code errorType()} is one of
 * {@code MissingAuthenticationTokenException}, {@code IncompleteSignatureException}, {@code
 * UnrecognizedClientException}, {@code InvalidSignatureException}, with a message. A request that
 * verifies names the key's principal, and the same request with one more byte of body does not
 * verify ({@code InvalidSignatureException}): the signature covers the body.
 *
 * <p><b>Input:</b> text ({@link FuzzText}): the method on the first line, the raw path on the
 * second, the raw query on the third (empty: none), then {@code name: value} header lines (a name
 * may repeat), an empty line, and the body.
 */
public class SigV4VerifierFuzzTest {
  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  private static final Set<String> TYPES =
      Set.of(
          "MissingAuthenticationTokenException",
          "IncompleteSignatureException",
          "UnrecognizedClientException",
          "InvalidSignatureException");
  private static final SigV4Verifier VERIFIER;

  static {
    AccessKeys keys = new AccessKeys();
    keys.add("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "root");
    VERIFIER = new SigV4Verifier(keys, "us-east-1", Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @FuzzTest(maxDuration = "30s")
  void fuzz(byte[] input) {
    check(input);
  }

  /** The check of one input (see the class comment). */
  public static void check(byte[] input) {
    String text = FuzzText.of(input);
    int split = text.indexOf("\n\n");
    String head = split < 0 ? text : text.substring(0, split);
    byte[] body =
        split < 0 ? new byte[0] : text.substring(split + 2).getBytes(StandardCharsets.UTF_8);
    List<String> lines = Arrays.asList(head.split("\n", -1));
    String method = lines.get(0);
    String path = lines.size() > 1 ? lines.get(1) : "/";
    String query = lines.size() > 2 && !lines.get(2).isEmpty() ? lines.get(2) : null;
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String line : lines.subList(Math.min(3, lines.size()), lines.size())) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers
            .computeIfAbsent(
                line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(line.substring(colon + 1).trim());
      }
    }
    SigV4Verifier.Headers h = name -> headers.getOrDefault(name, List.of());
    try {
      SigV4Verifier.Verified v = VERIFIER.verify("dynamodb", method, path, query, h, body);
      assertThat(v.key().principal()).isEqualTo("root");
    } catch (SigV4Exception e) {
      assertThat(e.errorType()).isIn(TYPES);
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    byte[] longer = Arrays.copyOf(body, body.length + 1);
    try {
      VERIFIER.verify("dynamodb", method, path, query, h, longer);
      throw new AssertionError("a changed body verified: " + text);
    } catch (SigV4Exception e) {
      assertThat(e.errorType()).isEqualTo("InvalidSignatureException");
    }
  }
}
