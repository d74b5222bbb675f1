package dev.coffer.kms.endpoint;

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
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 on requests signed in the {@code Authorization} header form
 * ({@code AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}), as AWS does: it
 * rebuilds the canonical request and the string to sign, derives the signing key from the secret
 * access key, date, region and service, and compares signatures in constant time. The request time
 * ({@code X-Amz-Date}) must be within 15 minutes of the verifier's clock, the credential scope must
 * name this service and region, and the host and {@code x-amz-date} headers must be signed.
 * Presigned (query string) requests are not supported. Thread-safe.
 */
final class SigV4Verifier {
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256\\s+Credential=([^,\\s]+)\\s*,\\s*SignedHeaders=([^,\\s]+)\\s*,\\s*Signature=([0-9a-fA-F]+)\\s*");
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Duration MAX_SKEW = Duration.ofMinutes(15);

  /** The secret of one access key. */
  interface SecretLookup {
    /** The secret access key for {@code accessKeyId}, or null when unknown. */
    String secretFor(String accessKeyId);
  }

  private final String service;
  private final String region;
  private final SecretLookup secrets;
  private final Clock clock;

  SigV4Verifier(String service, String region, SecretLookup secrets, Clock clock) {
    this.service = service;
    this.region = region;
    this.secrets = secrets;
    this.clock = clock;
  }

  /**
   * Verifies a request and returns its access key id.
   *
   * @param headers header names in any case, each with its values
   * @throws KmsError {@code MissingAuthenticationTokenException}, {@code
   *     IncompleteSignatureException}, {@code UnrecognizedClientException} or {@code
   *     InvalidSignatureException}, with AWS's messages
   */
  String verify(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
    Map<String, List<String>> lower = new TreeMap<>();
    headers.forEach((k, v) -> lower.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
    String authorization = first(lower, "authorization");
    if (authorization == null) {
      throw new KmsError("MissingAuthenticationTokenException", "Missing Authentication Token", 400);
    }
    Matcher m = AUTHORIZATION.matcher(authorization.trim());
    if (!m.matches()) {
      throw new KmsError("IncompleteSignatureException",
          "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters"
              + " for the AWS4-HMAC-SHA256 algorithm. Authorization=" + redact(authorization), 400);
    }
    String[] credential = m.group(1).split("/");
    if (credential.length != 5 || !credential[4].equals("aws4_request")) {
      throw new KmsError("IncompleteSignatureException",
          "Credential should be scoped to a valid region, service and 'aws4_request'. ", 400);
    }
    String accessKeyId = credential[0];
    String date = credential[1];
    String scopeRegion = credential[2];
    String scopeService = credential[3];
    String secret = secrets.secretFor(accessKeyId);
    if (secret == null) {
      throw new KmsError("UnrecognizedClientException", "The security token included in the request is invalid.", 400);
    }
    if (!scopeService.equals(service)) {
      throw new KmsError("InvalidSignatureException",
          "Credential should be scoped to correct service: '" + service + "'. ", 400);
    }
    if (region != null && !scopeRegion.equals(region)) {
      throw new KmsError("InvalidSignatureException",
          "Credential should be scoped to a valid region. ", 400);
    }
    String amzDate = first(lower, "x-amz-date");
    List<String> signed = List.of(m.group(2).split(";"));
    if (amzDate == null || !signed.contains("host") || !signed.contains("x-amz-date")) {
      throw new KmsError("IncompleteSignatureException",
          "The request must sign the host and x-amz-date headers and carry X-Amz-Date.", 400);
    }
    // The operation (X-Amz-Target) and the body's type must be covered by the signature, or a
    // captured request could be replayed as another operation with the same body.
    for (String header : List.of("x-amz-target", "content-type")) {
      if (first(lower, header) != null && !signed.contains(header)) {
        throw new KmsError("IncompleteSignatureException",
            "The request must sign the " + header + " header.", 400);
      }
    }
    checkTime(amzDate, date);
    String canonical = canonicalRequest(method, rawPath, rawQuery, lower, signed, body);
    String scope = date + "/" + scopeRegion + "/" + scopeService + "/aws4_request";
    String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] key = signingKey(secret, date, scopeRegion, scopeService);
    byte[] expected = hmac(key, stringToSign);
    byte[] given = HexFormat.of().parseHex(m.group(3).length() % 2 == 0 ? m.group(3).toLowerCase(Locale.ROOT) : "00");
    if (!MessageDigest.isEqual(expected, given)) {
      throw new KmsError("InvalidSignatureException",
          "The request signature we calculated does not match the signature you provided. Check your AWS Secret"
              + " Access Key and signing method. Consult the service documentation for details.", 400);
    }
    return accessKeyId;
  }

  private void checkTime(String amzDate, String scopeDate) {
    Instant when;
    try {
      when = Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      throw new KmsError("IncompleteSignatureException", "X-Amz-Date must be in the form yyyyMMdd'T'HHmmss'Z'.", 400);
    }
    if (!amzDate.startsWith(scopeDate)) {
      throw new KmsError("InvalidSignatureException",
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" + scopeDate
              + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate + "'.", 400);
    }
    Instant now = clock.instant();
    if (when.isBefore(now.minus(MAX_SKEW))) {
      throw new KmsError("InvalidSignatureException", "Signature expired: " + amzDate + " is now earlier than "
          + AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " - 15 min.)", 400);
    }
    if (when.isAfter(now.plus(MAX_SKEW))) {
      throw new KmsError("InvalidSignatureException", "Signature not yet current: " + amzDate + " is still later than "
          + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " + 15 min.)", 400);
    }
  }

  static String canonicalRequest(
      String method, String rawPath, String rawQuery, Map<String, List<String>> lowerHeaders, List<String> signed,
      byte[] body) {
    StringBuilder sb = new StringBuilder();
    sb.append(method).append('\n');
    sb.append(canonicalUri(rawPath)).append('\n');
    sb.append(canonicalQuery(rawQuery)).append('\n');
    for (String h : signed) {
      List<String> values = lowerHeaders.get(h);
      if (values == null) {
        throw new KmsError("InvalidSignatureException", "The signed header '" + h + "' is missing from the request.", 400);
      }
      List<String> trimmed = new ArrayList<>();
      for (String v : values) {
        trimmed.add(v.trim().replaceAll("\\s+", " "));
      }
      sb.append(h).append(':').append(String.join(",", trimmed)).append('\n');
    }
    sb.append('\n').append(String.join(";", signed)).append('\n');
    sb.append(hex(sha256(body)));
    return sb.toString();
  }

  /** Each segment of the (already encoded) path encoded again, as SigV4 does for services other than S3. */
  private static String canonicalUri(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
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
    return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** RFC 3986 encoding of everything but unreserved characters, as SigV4 specifies. */
  static String uriEncode(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~') {
        sb.append(c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  static byte[] signingKey(String secret, String date, String region, String service) {
    byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    k = hmac(k, region);
    k = hmac(k, service);
    return hmac(k, "aws4_request");
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static String redact(String authorization) {
    int i = authorization.indexOf("Signature=");
    return i < 0 ? authorization : authorization.substring(0, i) + "Signature=...";
  }
}
