package dev.coffer.internal.model;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.CorruptionException;
import dev.coffer.ValidationException;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Key attribute encodings.
 *
 * <p><b>Sort keys</b> are encoded so that the unsigned byte order of the encodings equals
 * DynamoDB's order of the values (the type is known from the schema, so no tag is stored):
 *
 * <ul>
 *   <li>S: the UTF-8 bytes.
 *   <li>B: the bytes.
 *   <li>N: zero is {@code 0x80}. A positive number {@code 0.d1d2...dk x 10^E} ({@code d1 != 0}, no
 *       trailing zeros) is {@code 0xC0 || u16(E + 0x8000) || (d1+1) ... (dk+1)}. A negative number
 *       is {@code 0x40 || u16(0x7FFF - E) || (0xFE-d1) ... (0xFE-dk) || 0xFF}: larger magnitudes
 *       sort first, and the {@code 0xFF} terminator puts -0.12 after -0.123.
 * </ul>
 *
 * <p><b>Partition keys</b> are the input of the partition-token HMAC: a type byte (1 = S, 2 = N, 3
 * = B) followed by the UTF-8 bytes (S), the canonical decimal text (N) or the bytes (B).
 */
public final class KeyCodec {
  private static final int ZERO = 0x80;
  private static final int POSITIVE = 0xC0;
  private static final int NEGATIVE = 0x40;

  private KeyCodec() {}

  /** The order-preserving encoding of a sort key value (S, N or B). */
  public static byte[] encodeSortKey(AttributeValue v) {
    switch (v.type()) {
      case S:
        return v.s().getBytes(StandardCharsets.UTF_8);
      case B:
        return v.b();
      case N:
        return encodeNumber(v.numberValue());
      default:
        throw new IllegalArgumentException("not a key type: " + v.type());
    }
  }

  /**
   * Decodes {@link #encodeSortKey}.
   *
   * @throws CorruptionException when {@code encoded} is not the encoding of a number DynamoDB
   *     accepts (type N; any bytes are an S or B key)
   */
  public static AttributeValue decodeSortKey(AttributeType type, byte[] encoded) {
    switch (type) {
      case S:
        return AttributeValue.s(new String(encoded, StandardCharsets.UTF_8));
      case B:
        return AttributeValue.b(encoded);
      case N:
        try {
          return AttributeValue.n(decodeNumber(encoded));
        } catch (
            ValidationException e) { // a well-formed encoding of a number out of DynamoDB's range
          throw malformedNumber();
        }
      default:
        throw new IllegalArgumentException("not a key type: " + type);
    }
  }

  /** Type byte || value bytes: the input of the partition-token HMAC. */
  public static byte[] partitionKeyBytes(AttributeValue v) {
    byte[] body;
    int tag;
    switch (v.type()) {
      case S:
        tag = 1;
        body = v.s().getBytes(StandardCharsets.UTF_8);
        break;
      case N:
        tag = 2;
        body = v.n().getBytes(StandardCharsets.US_ASCII);
        break;
      case B:
        tag = 3;
        body = v.b();
        break;
      default:
        throw new IllegalArgumentException("not a key type: " + v.type());
    }
    byte[] out = new byte[body.length + 1];
    out[0] = (byte) tag;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  /** The number of bytes a key value counts for DynamoDB's key size limits. */
  public static int keySizeBytes(AttributeValue v) {
    switch (v.type()) {
      case S:
        return utf8Length(v.s());
      case B:
        return v.b().length;
      case N:
        return ItemSizes.numberSize(v.n());
      default:
        throw new IllegalArgumentException("not a key type: " + v.type());
    }
  }

  static byte[] encodeNumber(BigDecimal d) {
    if (d.signum() == 0) {
      return new byte[] {(byte) ZERO};
    }
    BigDecimal n = d.stripTrailingZeros();
    String digits = n.unscaledValue().abs().toString();
    // value = 0.digits x 10^E  where E = digits.length - scale
    int exponent = digits.length() - n.scale();
    ByteArrayOutputStream out = new ByteArrayOutputStream(digits.length() + 4);
    if (n.signum() > 0) {
      out.write(POSITIVE);
      int e = exponent + 0x8000;
      out.write(e >>> 8);
      out.write(e);
      for (int i = 0; i < digits.length(); i++) {
        out.write(digits.charAt(i) - '0' + 1);
      }
    } else {
      out.write(NEGATIVE);
      int e = 0x7FFF - exponent;
      out.write(e >>> 8);
      out.write(e);
      for (int i = 0; i < digits.length(); i++) {
        out.write(0xFE - (digits.charAt(i) - '0'));
      }
      out.write(0xFF);
    }
    return out.toByteArray();
  }

  /**
   * Decodes {@link #encodeNumber}; every byte is checked, since a stored key is untrusted.
   *
   * @throws CorruptionException when {@code b} is not such an encoding
   */
  static BigDecimal decodeNumber(byte[] b) {
    if (b.length == 1 && (b[0] & 0xFF) == ZERO) {
      return BigDecimal.ZERO;
    }
    if (b.length < 4) {
      throw malformedNumber();
    }
    int tag = b[0] & 0xFF;
    int e = ((b[1] & 0xFF) << 8) | (b[2] & 0xFF);
    StringBuilder digits = new StringBuilder();
    int exponent;
    if (tag == POSITIVE) {
      exponent = e - 0x8000;
      for (int i = 3; i < b.length; i++) {
        digits.append(digit((b[i] & 0xFF) - 1));
      }
    } else if (tag == NEGATIVE && b.length > 4 && (b[b.length - 1] & 0xFF) == 0xFF) {
      exponent = 0x7FFF - e;
      for (int i = 3; i < b.length - 1; i++) {
        digits.append(digit(0xFE - (b[i] & 0xFF)));
      }
    } else {
      throw malformedNumber();
    }
    BigInteger unscaled = new BigInteger(digits.toString());
    BigDecimal value = new BigDecimal(unscaled, digits.length() - exponent);
    return tag == NEGATIVE ? value.negate() : value;
  }

  private static char digit(int d) {
    if (d < 0 || d > 9) {
      throw malformedNumber();
    }
    return (char) ('0' + d);
  }

  private static CorruptionException malformedNumber() {
    return new CorruptionException("A stored number key is malformed", null, null);
  }

  static int utf8Length(String s) {
    return Strings.utf8Length(s);
  }
}
