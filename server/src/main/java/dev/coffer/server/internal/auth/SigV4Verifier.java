// Over 400 lines: SigV4 verification is one procedure (the header's parts, scope, time, the
// canonical request, the signature) with AWS's message for each failure, read and audited top to
// bottom.
package dev.coffer.server.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 on requests signed in the {@code Authorization} header form
 * ({@code AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}), as AWS does: it
 * rebuilds the canonical request and the string to sign, derives the signing key from the secret
 * access key, date, region and service, and compares signatures in constant time. The request time
 * ({@code X-Amz-Date}) must be within 15 minutes of the verifier's clock, the credential scope must
 * name the expected service and region, and {@code host}, {@code x-amz-date}, and (when present)
 * {@code x-amz-target} and {@code content-type} must be signed, so that a captured request cannot
 * be replayed as another operation. Presigned (query string) requests are not supported.
 *
 * <p>The one verifier of both endpoints ({@code coffer serve} and the KMS-only {@code
 * KmsEndpoint}), for any service, with signing keys cached per access key and day (as the SDKs
 * cache them) and the HMAC and digest instances kept per thread. Messages are AWS's; where DynamoDB
 * and KMS word one differently (a missing {@code Authorization}), each service gets its own.
 * Thread-safe.
 */
public final class SigV4Verifier {
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final int MAX_CACHED_KEYS = 1024;
  private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(SigV4Verifier::newMac);
  private static final ThreadLocal<KeyedMac> KEYED_HMAC =
      ThreadLocal.withInitial(() -> new KeyedMac(newMac()));
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("SHA-256 is not available", e);
            }
          });

  /** The request headers: every value of a header, by its lower-case name; empty when absent. */
  @FunctionalInterface
  public interface Headers {
    List<String> values(String lowerCaseName);
  }

  /** A verified request: the access key that signed it. */
  public record Verified(AccessKeys.Entry key) {}

  private record CachedKey(String secret, byte[] key) {}

  private record ParsedDate(String text, Instant when) {}

  /** A thread's HMAC, and the signing key it was last initialized with (null: none yet). */
  private static final class KeyedMac {
    final Mac mac;
    byte[] key;

    KeyedMac(Mac mac) {
      this.mac = mac;
    }
  }

  private final AccessKeys accessKeys;
  private final String region;
  private final Clock clock;
  private final Map<String, CachedKey> signingKeys = new ConcurrentHashMap<>();
  private volatile ParsedDate lastDate;

  /**
   * @param region the region requests must be scoped to
   * @param clock the clock request dates are checked against
   */
  public SigV4Verifier(AccessKeys accessKeys, String region, Clock clock) {
    this.accessKeys = accessKeys;
    this.region = region;
    this.clock = clock;
  }

  /**
   * Verifies a request for {@code service} and returns its access key.
   *
   * @throws SigV4Exception {@code MissingAuthenticationTokenException}, {@code
   *     IncompleteSignatureException}, {@code UnrecognizedClientException} or {@code
   *     InvalidSignatureException}, with AWS's messages
   */
  public Verified verify(
      String service,
      String method,
      String rawPath,
      String rawQuery,
      Headers headers,
      byte[] body) {
    String authorization = first(headers, "authorization");
    if (authorization == null) {
      throw new SigV4Exception(
          "MissingAuthenticationTokenException",
          service.equals("dynamodb")
              ? "Request is missing Authentication Token"
              : "Missing Authentication Token");
    }
    Authorization m = Authorization.parse(authorization.trim());
    if (m == null) {
      throw new SigV4Exception(
          "IncompleteSignatureException",
          "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters"
              + " for the AWS4-HMAC-SHA256 algorithm. Authorization="
              + redact(authorization));
    }
    String[] credential = m.credential().split("/");
    if (credential.length != 5 || !credential[4].equals("aws4_request")) {
      throw new SigV4Exception(
          "IncompleteSignatureException",
          "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '"
              + m.credential()
              + "'");
    }
    String accessKeyId = credential[0];
    String date = credential[1];
    String scopeRegion = credential[2];
    String scopeService = credential[3];
    AccessKeys.Entry key = accessKeys.get(accessKeyId);
    if (key == null) {
      throw new SigV4Exception(
          "UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    if (!scopeService.equals(service)) {
      throw new SigV4Exception(
          "InvalidSignatureException",
          "Credential should be scoped to correct service: '" + service + "'. ");
    }
    if (!scopeRegion.equals(region)) {
      throw new SigV4Exception(
          "InvalidSignatureException",
          "Credential should be scoped to a valid region, not '" + scopeRegion + "'. ");
    }
    String amzDate = first(headers, "x-amz-date");
    List<String> signed = Arrays.asList(m.signedHeaders().split(";"));
    if (amzDate == null || !signed.contains("host") || !signed.contains("x-amz-date")) {
      throw new SigV4Exception(
          "IncompleteSignatureException",
          "The request must sign the host and x-amz-date headers and carry X-Amz-Date.");
    }
    for (String header : List.of("x-amz-target", "content-type")) {
      if (first(headers, header) != null && !signed.contains(header)) {
        throw new SigV4Exception(
            "IncompleteSignatureException", "The request must sign the " + header + " header.");
      }
    }
    checkTime(amzDate, date);
    String canonical = canonicalRequest(method, rawPath, rawQuery, headers, signed, body);
    String scope = date + "/" + scopeRegion + "/" + scopeService + "/aws4_request";
    String stringToSign =
        ALGORITHM
            + "\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] expected = signature(signingKey(key, date, scopeRegion, scopeService), stringToSign);
    String given = m.signature();
    byte[] givenBytes =
        given.length() == 64
            ? HexFormat.of().parseHex(given.toLowerCase(Locale.ROOT))
            : new byte[0];
    if (!MessageDigest.isEqual(expected, givenBytes)) {
      throw new SigV4Exception(
          "InvalidSignatureException",
          "The request signature we calculated does not match the signature you provided. Check your AWS Secret"
              + " Access Key and signing method. Consult the service documentation for details.");
    }
    return new Verified(key);
  }

  private void checkTime(String amzDate, String scopeDate) {
    Instant when = requestTime(amzDate);
    if (!amzDate.startsWith(scopeDate)) {
      throw new SigV4Exception(
          "InvalidSignatureException",
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
              + scopeDate
              + "' != '"
              + amzDate.substring(0, 8)
              + "', from '"
              + amzDate
              + "'.");
    }
    Instant now = clock.instant();
    if (when.isBefore(now.minus(MAX_SKEW))) {
      throw new SigV4Exception(
          "InvalidSignatureException",
          "Signature expired: "
              + amzDate
              + " is now earlier than "
              + AMZ_DATE.format(now.minus(MAX_SKEW))
              + " ("
              + AMZ_DATE.format(now)
              + " - 15 min.)");
    }
    if (when.isAfter(now.plus(MAX_SKEW))) {
      throw new SigV4Exception(
          "InvalidSignatureException",
          "Signature not yet current: "
              + amzDate
              + " is still later than "
              + AMZ_DATE.format(now.plus(MAX_SKEW))
              + " ("
              + AMZ_DATE.format(now)
              + " + 15 min.)");
    }
  }

  /**
   * {@code X-Amz-Date} as an instant. The SDKs sign with second resolution, so consecutive requests
   * mostly carry the same value: the last one parsed is remembered (a formatter parse is a few
   * microseconds; the answer for a given text never changes).
   */
  private Instant requestTime(String amzDate) {
    ParsedDate last = lastDate;
    if (last != null && last.text().equals(amzDate)) {
      return last.when();
    }
    Instant when;
    try {
      when = Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      throw new SigV4Exception(
          "IncompleteSignatureException",
          "Date must be in ISO-8601 'basic format'. Got '"
              + amzDate
              + "'. See http://en.wikipedia.org/wiki/ISO_8601");
    }
    lastDate = new ParsedDate(amzDate, when);
    return when;
  }

  private byte[] signingKey(
      AccessKeys.Entry key, String date, String scopeRegion, String scopeService) {
    String id = key.accessKeyId() + "/" + date + "/" + scopeRegion + "/" + scopeService;
    CachedKey cached = signingKeys.get(id);
    if (cached != null && cached.secret().equals(key.secret())) {
      return cached.key();
    }
    byte[] k = signingKey(key.secret(), date, scopeRegion, scopeService);
    if (signingKeys.size() >= MAX_CACHED_KEYS) {
      signingKeys.clear();
    }
    signingKeys.put(id, new CachedKey(key.secret(), k));
    return k;
  }

  /**
   * SigV4's derived signing key: HMAC chain over date, region, service and {@code aws4_request}.
   */
  static byte[] signingKey(String secret, String date, String region, String service) {
    byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    k = hmac(k, region);
    k = hmac(k, service);
    return hmac(k, "aws4_request");
  }

  static String canonicalRequest(
      String method,
      String rawPath,
      String rawQuery,
      Headers headers,
      List<String> signed,
      byte[] body) {
    StringBuilder sb = new StringBuilder(256);
    sb.append(method).append('\n');
    sb.append(canonicalUri(rawPath)).append('\n');
    sb.append(canonicalQuery(rawQuery)).append('\n');
    for (String h : signed) {
      List<String> values = headers.values(h);
      if (values.isEmpty()) {
        throw new SigV4Exception(
            "InvalidSignatureException",
            "The signed header '" + h + "' is missing from the request.");
      }
      sb.append(h).append(':');
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        appendTrimmed(sb, values.get(i));
      }
      sb.append('\n');
    }
    sb.append('\n').append(String.join(";", signed)).append('\n');
    sb.append(hex(sha256(body)));
    return sb.toString();
  }

  /** The value with leading and trailing blanks removed and inner runs of blanks made one space. */
  private static void appendTrimmed(StringBuilder sb, String v) {
    String t = v.trim();
    boolean space = false;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (Character.isWhitespace(c)) {
        space = true;
      } else {
        if (space) {
          sb.append(' ');
          space = false;
        }
        sb.append(c);
      }
    }
  }

  /**
   * Each segment of the (already encoded) path encoded again, as SigV4 does for services other than
   * S3.
   */
  private static String canonicalUri(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    if (rawPath.equals("/")) {
      return rawPath;
    }
    StringBuilder sb = new StringBuilder();
    String[] segments = rawPath.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        sb.append('/');
      }
      sb.append(uriEncode(segments[i]));
    }
    return sb.toString();
  }

  private static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String p : rawQuery.split("&")) {
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      String k = eq < 0 ? p : p.substring(0, eq);
      String v = eq < 0 ? "" : p.substring(eq + 1);
      pairs.add(new String[] {uriEncode(decode(k)), uriEncode(decode(v))});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    List<String> out = new ArrayList<>();
    for (String[] p : pairs) {
      out.add(p[0] + "=" + p[1]);
    }
    return String.join("&", out);
  }

  private static String decode(String s) {
    try {
      return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new SigV4Exception(
          "InvalidSignatureException", "The query string is not validly encoded.");
    }
  }

  /** RFC 3986 encoding of everything but unreserved characters, as SigV4 specifies. */
  static String uriEncode(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        sb.append(c);
      } else {
        sb.append('%')
            .append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  /**
   * HMAC-SHA256 under a cached signing key: a thread's {@link Mac} stays initialized with the key
   * it last used (the cache hands out the same array for the same scope), so a steady stream of
   * requests skips the key setup. {@code doFinal} leaves the Mac ready for the same key again.
   */
  private static byte[] signature(byte[] signingKey, String data) {
    KeyedMac km = KEYED_HMAC.get();
    if (km.key != signingKey) {
      try {
        km.mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
      } catch (GeneralSecurityException e) {
        km.key = null;
        throw new IllegalStateException("HmacSHA256 rejected its key", e);
      }
      km.key = signingKey;
    }
    return km.mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmac(byte[] key, String data) {
    Mac mac = HMAC.get();
    try {
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 rejected its key", e);
    }
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private static Mac newMac() {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    MessageDigest md = SHA256.get();
    md.reset();
    return md.digest(data);
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static String first(Headers headers, String name) {
    List<String> v = headers.values(name);
    return v.isEmpty() ? null : v.get(0);
  }

  private static String redact(String authorization) {
    int i = authorization.indexOf("Signature=");
    String s = i < 0 ? authorization : authorization.substring(0, i) + "Signature=...";
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
