package dev.coffer.kms.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.MalformedPolicyDocumentException;
import org.junit.jupiter.api.Test;

class KeyPolicyTest {
  private static final String BOB = "arn:aws:iam::111122223333:user/bob";
  private static final String ROOT = "arn:aws:iam::111122223333:root";

  private static String st(String body) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + body + "]}";
  }

  @Test
  void defaultPolicyAllowsRootAndCreatorOnly() {
    KeyPolicy p = KeyPolicy.parse(KeyPolicy.defaultPolicy("111122223333", BOB));
    assertThat(p.allows(ROOT, "kms:Decrypt")).isTrue();
    assertThat(p.allows(BOB, "kms:PutKeyPolicy")).isTrue();
    assertThat(p.allows("arn:aws:iam::111122223333:user/eve", "kms:Decrypt")).isFalse();
  }

  @Test
  void aDuplicatedKeyIsRefusedNotResolvedLastOneWins() {
    String twoEffects =
        st("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Effect\":\"Allow\"}");
    assertThatThrownBy(() -> KeyPolicy.parse(twoEffects))
        .isInstanceOf(MalformedPolicyDocumentException.class)
        .hasMessageContaining("Duplicate field 'Effect'");
  }

  @Test
  void wildcardsAreCaseInsensitiveAndDenyWins() {
    KeyPolicy p =
        KeyPolicy.parse(
            st("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:GenerateDataKey*\"},"
                + "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":[\"" + BOB + "\"]},\"Action\":\"kms:generatedatakeywithoutplaintext\"}"));
    assertThat(p.allows(ROOT, "kms:GenerateDataKeyWithoutPlaintext")).isTrue();
    assertThat(p.allows(BOB, "kms:GenerateDataKey")).isTrue();
    assertThat(p.allows(BOB, "kms:GenerateDataKeyWithoutPlaintext")).isFalse();
    assertThat(p.allows(BOB, "kms:Decrypt")).isFalse();
  }

  @Test
  void bareAccountIdMeansTheAccountRoot() {
    KeyPolicy p = KeyPolicy.parse(st("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"kms:*\"}"));
    assertThat(p.allows(ROOT, "kms:Decrypt")).isTrue();
    assertThat(p.allows(BOB, "kms:Decrypt")).isFalse();
  }

  @Test
  void refusesWhatItDoesNotUnderstand() {
    String[] bad = {
      st("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Condition\":{}}"),
      st("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"NotAction\":\"kms:Decrypt\"}"),
      st("{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"" + BOB + "\"},\"Action\":\"kms:*\"}"),
      st("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"arn:aws:kms:x\"}"),
      st("{\"Effect\":\"Maybe\",\"Principal\":\"*\",\"Action\":\"kms:*\"}"),
      st("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[]}"),
      "{\"Version\":\"2012-10-17\"}",
      "",
      "x".repeat(KeyPolicy.MAX_POLICY_CHARS + 1),
    };
    for (String doc : bad) {
      assertThatThrownBy(() -> KeyPolicy.parse(doc))
          .as(doc.length() > 80 ? doc.substring(0, 80) : doc)
          .isInstanceOf(MalformedPolicyDocumentException.class);
    }
  }
}
