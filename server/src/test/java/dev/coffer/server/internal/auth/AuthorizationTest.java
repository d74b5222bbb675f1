package dev.coffer.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The hand-written {@code Authorization} reader accepts exactly what the regular expression it
 * replaced matched, and returns the same three groups: checked on headers assembled from the pieces
 * that matter (the keywords, blanks of every kind, commas, hex and non-hex characters).
 */
class AuthorizationTest {
  private static final Pattern REFERENCE =
      Pattern.compile(
          "AWS4-HMAC-SHA256\\s+Credential=([^,\\s]+)\\s*,\\s*SignedHeaders=([^,\\s]+)\\s*,\\s*"
              + "Signature=([0-9a-fA-F]+)\\s*");

  @Property(tries = 3000)
  void acceptsExactlyWhatTheRegularExpressionMatched(@ForAll("headers") String header) {
    Matcher m = REFERENCE.matcher(header);
    Authorization a = Authorization.parse(header);
    if (m.matches()) {
      assertThat(a).isEqualTo(new Authorization(m.group(1), m.group(2), m.group(3)));
    } else {
      assertThat(a).isNull();
    }
  }

  @Test
  void readsWhatTheSdkSends() {
    String header =
        "AWS4-HMAC-SHA256 Credential=AKID/20261205/us-east-1/dynamodb/aws4_request,"
            + " SignedHeaders=content-type;host;x-amz-date, Signature=0aF9";
    assertThat(Authorization.parse(header))
        .isEqualTo(
            new Authorization(
                "AKID/20261205/us-east-1/dynamodb/aws4_request",
                "content-type;host;x-amz-date",
                "0aF9"));
    assertThat(Authorization.parse(header.replace("0aF9", "0aG9"))).isNull();
    assertThat(Authorization.parse(header.replace(" Credential", "Credential"))).isNull();
    assertThat(Authorization.parse(header.replace("0aF9", "٠١"))).isNull(); // non-ASCII digits
  }

  @Provide
  Arbitrary<String> headers() {
    Arbitrary<String> piece =
        Arbitraries.of(
            List.of(
                "AWS4-HMAC-SHA256",
                "Credential=",
                "SignedHeaders=",
                "Signature=",
                "AKID/20261205/us-east-1/dynamodb/aws4_request",
                "host;x-amz-date",
                "0123abcDEF",
                "g",
                "٣",
                ",",
                " ",
                "\t",
                "\n",
                "\u000B",
                "\f",
                "\r",
                "\u00a0",
                "="));
    Arbitrary<String> canonical =
        Arbitraries.of(
            "AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request, SignedHeaders=host, Signature=ab");
    return Arbitraries.oneOf(
        piece.list().ofMaxSize(16).map(l -> String.join("", l)),
        canonical.flatMap(
            c ->
                Arbitraries.integers()
                    .between(0, c.length())
                    .flatMap(at -> piece.map(p -> c.substring(0, at) + p + c.substring(at)))),
        canonical);
  }
}
