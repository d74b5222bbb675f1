package dev.coffer.kms.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.MalformedPolicyDocumentException;
import org.junit.jupiter.api.Test;

/**
 * The policy grammar, statement form by statement form, and the key policy's own evaluation
 * (explicit Deny wins, default deny; account principals, case rules). The evaluation together with
 * the account policy (the IAM side) is {@code AccountPolicyTest}'s.
 */
class KeyPolicyTest {
  private static final String ACCOUNT = "111122223333";
  private static final PolicyPrincipal BOB = caller("arn:aws:iam::111122223333:user/bob");
  private static final PolicyPrincipal ROOT = caller("arn:aws:iam::111122223333:root");
  private static final PolicyPrincipal EVE = caller("arn:aws:iam::111122223333:user/eve");
  private static final PolicyPrincipal OUTSIDER = caller("arn:aws:iam::999988887777:user/bob");

  private static PolicyPrincipal caller(String arn) {
    return PolicyPrincipal.parseArn(arn);
  }

  private static String st(String... statements) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
  }

  private static String allow(String principal, String action) {
    return "{\"Effect\":\"Allow\",\"Principal\":"
        + principal
        + ",\"Action\":\""
        + action
        + "\",\"Resource\":\"*\"}";
  }

  private static String deny(String principal, String action) {
    return "{\"Effect\":\"Deny\",\"Principal\":"
        + principal
        + ",\"Action\":\""
        + action
        + "\",\"Resource\":\"*\"}";
  }

  private static KeyPolicy.Verdict eval(String doc, PolicyPrincipal who, String action) {
    return KeyPolicy.parse(doc).evaluate(who, action, null);
  }

  @Test
  void defaultPolicyAllowsTheAccountAndTheCreator() {
    KeyPolicy p =
        KeyPolicy.parse(KeyPolicy.defaultPolicy(ACCOUNT, "arn:aws:iam::111122223333:user/bob"));
    assertThat(p.allowsDirectly(ROOT, "kms:Decrypt")).isTrue();
    assertThat(p.allowsDirectly(BOB, "kms:PutKeyPolicy")).isTrue();
    // eve is of the account: allowed only through the IAM side, not by the key policy alone
    assertThat(p.allowsDirectly(EVE, "kms:Decrypt")).isFalse();
    assertThat(p.evaluate(EVE, "kms:Decrypt", null).allowedToAccount()).isTrue();
  }

  @Test
  void everyPrincipalForm() {
    assertThat(eval(st(allow("\"*\"", "kms:Decrypt")), OUTSIDER, "kms:Decrypt").allowedDirectly())
        .isTrue();
    assertThat(
            eval(st(allow("{\"AWS\":\"*\"}", "kms:Decrypt")), EVE, "kms:Decrypt").allowedDirectly())
        .isTrue();
    String list =
        "{\"AWS\":[\"arn:aws:iam::111122223333:user/bob\",\"arn:aws:iam::111122223333:role/app\"]}";
    assertThat(eval(st(allow(list, "kms:Decrypt")), BOB, "kms:Decrypt").allowedDirectly()).isTrue();
    assertThat(eval(st(allow(list, "kms:Decrypt")), EVE, "kms:Decrypt").allowedDirectly())
        .isFalse();
    // A role covers its assumed-role sessions.
    PolicyPrincipal session = caller("arn:aws:sts::111122223333:assumed-role/app/job-1");
    assertThat(eval(st(allow(list, "kms:Decrypt")), session, "kms:Decrypt").allowedDirectly())
        .isTrue();
    // An account id and the account's root ARN mean the same: the account.
    for (String account :
        new String[] {
          "{\"AWS\":\"111122223333\"}", "{\"AWS\":\"arn:aws:iam::111122223333:root\"}"
        }) {
      KeyPolicy.Verdict v = eval(st(allow(account, "kms:Decrypt")), EVE, "kms:Decrypt");
      assertThat(v.allowedDirectly()).isFalse();
      assertThat(v.allowedToAccount()).isTrue();
      assertThat(
              eval(st(allow(account, "kms:Decrypt")), OUTSIDER, "kms:Decrypt").allowedToAccount())
          .isFalse();
    }
  }

  @Test
  void aDenyOnTheAccountCoversEveryIdentityOfIt() {
    for (String account :
        new String[] {
          "{\"AWS\":\"111122223333\"}", "{\"AWS\":\"arn:aws:iam::111122223333:root\"}"
        }) {
      String doc = st(allow("\"*\"", "kms:*"), deny(account, "kms:Decrypt"));
      assertThat(eval(doc, BOB, "kms:Decrypt").denied()).isTrue();
      assertThat(eval(doc, ROOT, "kms:Decrypt").denied()).isTrue();
      assertThat(
              eval(doc, caller("arn:aws:sts::111122223333:assumed-role/app/s"), "kms:Decrypt")
                  .denied())
          .isTrue();
      assertThat(eval(doc, OUTSIDER, "kms:Decrypt").denied()).isFalse();
    }
  }

  @Test
  void userNamesCompareWithoutRegardToCaseAsIamNamesAreUnique() {
    String doc =
        st(
            allow("\"*\"", "kms:*"),
            deny("{\"AWS\":\"arn:aws:iam::111122223333:user/Bob\"}", "kms:Decrypt"));
    assertThat(eval(doc, BOB, "kms:Decrypt").denied()).isTrue();
    assertThat(eval(doc, caller("arn:aws:iam::111122223333:user/BOB"), "kms:Decrypt").denied())
        .isTrue();
    assertThat(eval(doc, caller("arn:aws:iam::111122223333:user/team/bob"), "kms:Decrypt").denied())
        .isTrue();
    assertThat(eval(doc, caller("arn:aws:iam::111122223333:role/bob"), "kms:Decrypt").denied())
        .isFalse();
    assertThat(eval(doc, EVE, "kms:Decrypt").denied()).isFalse();
  }

  @Test
  void explicitDenyWinsAndActionsMatchCaseInsensitivelyWithWildcards() {
    KeyPolicy p =
        KeyPolicy.parse(
            st(
                allow("\"*\"", "kms:GenerateDataKey*"),
                deny(
                    "{\"AWS\":[\"arn:aws:iam::111122223333:user/bob\"]}",
                    "kms:generatedatakeywithoutplaintext")));
    assertThat(p.allowsDirectly(ROOT, "kms:GenerateDataKeyWithoutPlaintext")).isTrue();
    assertThat(p.allowsDirectly(BOB, "kms:GenerateDataKey")).isTrue();
    assertThat(p.allowsDirectly(BOB, "kms:GenerateDataKeyWithoutPlaintext")).isFalse();
    assertThat(p.allowsDirectly(BOB, "kms:Decrypt")).as("default deny").isFalse();
    assertThat(
            KeyPolicy.parse(st(allow("\"*\"", "kms:Re?ncrypt*")))
                .allowsDirectly(BOB, "kms:ReEncryptFrom"))
        .isTrue();
    assertThat(
            KeyPolicy.parse(st(allow("\"*\"", "*"))).allowsDirectly(BOB, "kms:ScheduleKeyDeletion"))
        .isTrue();
  }

  @Test
  void notActionMeansEveryActionButThose() {
    String allowAllBut =
        "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"NotAction\":[\"kms:ScheduleKeyDeletion\","
            + "\"kms:Put*\"],\"Resource\":\"*\"}";
    KeyPolicy p = KeyPolicy.parse(st(allowAllBut));
    assertThat(p.allowsDirectly(BOB, "kms:Decrypt")).isTrue();
    assertThat(p.allowsDirectly(BOB, "kms:ScheduleKeyDeletion")).isFalse();
    assertThat(p.allowsDirectly(BOB, "kms:PutKeyPolicy")).isFalse();
    String denyAllBut =
        "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:user/bob\"},"
            + "\"NotAction\":\"kms:Decrypt\",\"Resource\":\"*\"}";
    KeyPolicy q = KeyPolicy.parse(st(allow("\"*\"", "kms:*"), denyAllBut));
    assertThat(q.allowsDirectly(BOB, "kms:Decrypt")).isTrue();
    assertThat(q.allowsDirectly(BOB, "kms:Encrypt")).isFalse();
    assertThat(q.allowsDirectly(EVE, "kms:Encrypt")).isTrue();
  }

  @Test
  void aSingleStatementObjectAndAnOmittedResourceAreAccepted() {
    String one =
        "{\"Statement\":{\"Sid\":\"one\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\"}}";
    assertThat(KeyPolicy.parse(one).allowsDirectly(BOB, "kms:Decrypt")).isTrue();
  }

  @Test
  void aDuplicatedKeyIsRefusedNotResolvedLastOneWins() {
    String twoEffects =
        st(
            "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Effect\":\"Allow\"}");
    assertThatThrownBy(() -> KeyPolicy.parse(twoEffects))
        .isInstanceOf(MalformedPolicyDocumentException.class)
        .hasMessageContaining("duplicated member 'Effect'");
  }

  @Test
  void refusesWhatAwsRefusesAndWhatItDoesNotEnforce() {
    String[] bad = {
      // principals AWS refuses: wildcards inside an ARN, malformed ARNs, bare names
      st(deny("{\"AWS\":\"arn:aws:iam::111122223333:user/*\"}", "kms:Decrypt")),
      st(deny("{\"AWS\":\"arn:aws:iam::*:root\"}", "kms:Decrypt")),
      st(deny("{\"AWS\":\"arn:aws:iam::11112222333:root\"}", "kms:Decrypt")),
      st(deny("{\"AWS\":\"arn:aws:iam:us-east-1:111122223333:user/bob\"}", "kms:Decrypt")),
      st(deny("{\"AWS\":\"bob\"}", "kms:Decrypt")),
      st(deny("{\"AWS\":\"arn:aws:kms:us-east-1:111122223333:key/x\"}", "kms:Decrypt")),
      st(deny("{\"AWS\":[]}", "kms:Decrypt")),
      st(allow("{\"Service\":\"ec2.amazonaws.com\"}", "kms:Decrypt")),
      st(allow("\"bob\"", "kms:Decrypt")),
      // elements not enforced here are refused, not ignored
      st("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Condition\":{}}"),
      st("{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"111122223333\"},\"Action\":\"kms:*\"}"),
      st("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"NotResource\":\"*\"}"),
      st(
          "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"arn:aws:kms:x\"}"),
      st(
          "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"NotAction\":\"kms:Decrypt\"}"),
      st("{\"Effect\":\"Allow\",\"Principal\":\"*\"}"),
      st("{\"Effect\":\"Allow\",\"Action\":\"kms:*\"}"),
      st("{\"Effect\":\"Maybe\",\"Principal\":\"*\",\"Action\":\"kms:*\"}"),
      st("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[]}"),
      st("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"Decrypt\"}"),
      st("{\"Sid\":1,\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\"}"),
      "{\"Version\":\"2099-01-01\",\"Statement\":[" + allow("\"*\"", "kms:*") + "]}",
      "{\"Statement\":[" + allow("\"*\"", "kms:*") + "],\"Extra\":1}",
      "{\"Version\":\"2012-10-17\",\"Statement\":[]}",
      "{\"Version\":\"2012-10-17\"}",
      "[]",
      "",
      "x".repeat(KeyPolicy.MAX_POLICY_CHARS + 1),
    };
    for (String doc : bad) {
      assertThatThrownBy(() -> KeyPolicy.parse(doc))
          .as(doc.length() > 120 ? doc.substring(0, 120) : doc)
          .isInstanceOf(MalformedPolicyDocumentException.class);
    }
    assertThatThrownBy(
            () ->
                KeyPolicy.parse(
                    st(deny("{\"AWS\":\"arn:aws:iam::111122223333:user/*\"}", "kms:*"))))
        .hasMessage("Policy contains a statement with one or more invalid principals.");
  }

  @Test
  void accountPoliciesTakeKeyAndAliasArnsWithWildcards() {
    String doc =
        st(
            "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"kms:CreateAlias\","
                + "\"Resource\":\"arn:aws:kms:*:111122223333:alias/team-*\"}");
    KeyPolicy p = KeyPolicy.parseAccountPolicy(doc);
    assertThat(
            p.evaluate(BOB, "kms:CreateAlias", "arn:aws:kms:us-east-1:111122223333:alias/team-a")
                .allowedToAccount())
        .isTrue();
    assertThat(
            p.evaluate(BOB, "kms:CreateAlias", "arn:aws:kms:us-east-1:111122223333:alias/prod")
                .allowedToAccount())
        .isFalse();
    assertThatThrownBy(() -> KeyPolicy.parse(doc))
        .isInstanceOf(MalformedPolicyDocumentException.class);
    assertThatThrownBy(
            () ->
                KeyPolicy.parseAccountPolicy(
                    st("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\"}")))
        .hasMessageContaining("needs a Resource");
  }
}
