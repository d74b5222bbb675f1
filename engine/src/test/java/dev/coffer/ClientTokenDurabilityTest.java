package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TransactWriteItems' ClientRequestTokens survive a close and a crash: each applied token is a
 * sealed record committed in the transaction's own batch (docs/engine.md, "ClientRequestToken").
 */
class ClientTokenDurabilityTest {
  private static final byte[] TOKEN_PREFIX = "coffer/token/".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path tmp;

  private final MutableClock clock = new MutableClock();

  private static TransactWriteItemsRequest add(String token, String counter, int n) {
    return TransactWriteItemsRequest.builder()
        .transactItems(
            TransactWriteItem.update(
                "ctr",
                Key.of(counter),
                Update.builder().add("n", AttributeValue.n(n)).build(),
                null))
        .clientRequestToken(token)
        .build();
  }

  private Coffer open(ChildJvm jvm, LocalKeyProvider p) {
    Coffer c = Coffer.open(jvm.dir(), jvm.options(p).clock(clock).build());
    if (!c.listTables().contains("ctr")) {
      c.createTable(TableSpec.builder().name("ctr").partitionKey("id", AttributeType.S).build());
    }
    return c;
  }

  private static String counter(Coffer c, String id) {
    return counter(c, "ctr", id);
  }

  private static String counter(Coffer c, String table, String id) {
    return c.table(table).getItem(Key.of(id)).map(i -> i.get("n").n()).orElse("absent");
  }

  @Test
  void aReplayAfterReopenIsNotAppliedAgainAndAnotherRequestIsAMismatch() {
    ChildJvm jvm = new ChildJvm(tmp);
    try (LocalKeyProvider p = jvm.provider()) {
      try (Coffer c = open(jvm, p)) {
        c.transactWriteItems(add("deposit-1", "a", 5));
        assertThat(counter(c, "a")).isEqualTo("5");
      }
      try (Coffer c = open(jvm, p)) {
        TransactWriteItemsResponse r = c.transactWriteItems(add("deposit-1", "a", 5));
        assertThat(r).isEqualTo(TransactWriteItemsResponse.applied());
        assertThat(counter(c, "a")).as("not applied twice").isEqualTo("5");
        assertThatThrownBy(() -> c.transactWriteItems(add("deposit-1", "a", 6)))
            .isInstanceOf(IdempotentParameterMismatchException.class)
            .extracting(e -> ((CofferException) e).errorCode())
            .isEqualTo("IdempotentParameterMismatchException");
        c.transactWriteItems(add("deposit-2", "a", 1)); // another token: a new request
        assertThat(counter(c, "a")).isEqualTo("6");
      }
    }
  }

  @Test
  void aTokenOfConditionChecksAloneIsRecordedToo() {
    ChildJvm jvm = new ChildJvm(tmp);
    try (LocalKeyProvider p = jvm.provider()) {
      TransactWriteItemsRequest check =
          TransactWriteItemsRequest.builder()
              .transactItems(
                  TransactWriteItem.conditionCheck(
                      "ctr", Key.of("nobody"), Condition.attributeNotExists("id")))
              .clientRequestToken("check-1")
              .build();
      try (Coffer c = open(jvm, p)) {
        c.transactWriteItems(check);
      }
      try (Coffer c = open(jvm, p)) {
        assertThatThrownBy(
                () ->
                    c.transactWriteItems(
                        check.toBuilder()
                            .transactItems(
                                TransactWriteItem.conditionCheck(
                                    "ctr", Key.of("somebody"), Condition.attributeNotExists("id")))
                            .build()))
            .isInstanceOf(IdempotentParameterMismatchException.class);
      }
    }
  }

  @Test
  void aTokenExpiresTenMinutesAfterItsTransactionAcrossReopens() {
    ChildJvm jvm = new ChildJvm(tmp);
    try (LocalKeyProvider p = jvm.provider()) {
      try (Coffer c = open(jvm, p)) {
        c.transactWriteItems(add("deposit-1", "a", 5));
      }
      clock.advance(Duration.ofMinutes(9));
      try (Coffer c = open(jvm, p)) {
        c.transactWriteItems(add("deposit-1", "a", 5));
        assertThat(counter(c, "a")).as("within the window").isEqualTo("5");
      }
      clock.advance(Duration.ofMinutes(2));
      try (Coffer c = open(jvm, p)) {
        c.transactWriteItems(add("deposit-1", "a", 5)); // the window is over: a new request
        assertThat(counter(c, "a")).isEqualTo("10");
        c.transactWriteItems(add("deposit-1", "a", 5)); // ... whose token counts from now
        assertThat(counter(c, "a")).isEqualTo("10");
      }
    }
  }

  @Test
  void theSweepDeletesExpiredRecordsAsLaterTokensAreWritten() throws Exception {
    ChildJvm jvm = new ChildJvm(tmp);
    try (LocalKeyProvider p = jvm.provider()) {
      try (Coffer c = open(jvm, p)) {
        for (int i = 0; i < 40; i++) {
          c.transactWriteItems(add("old-" + i, "a", 1));
        }
      }
      assertThat(tokenRecords(jvm)).isEqualTo(40);
      clock.advance(Duration.ofMinutes(11));
      try (Coffer c = open(jvm, p)) {
        for (int i = 0; i < 40; i++) {
          c.transactWriteItems(add("new-" + i, "b", 1));
        }
      }
      // the sweep step after the 16th new token examined all 56 records then on disk and deleted
      // the 40 expired ones; the 40 new ones remain
      assertThat(tokenRecords(jvm)).isEqualTo(40);
      try (Coffer c = open(jvm, p)) {
        c.transactWriteItems(add("new-0", "b", 1));
        assertThat(counter(c, "b")).as("a new token within its window").isEqualTo("40");
        c.transactWriteItems(add("old-0", "a", 1));
        assertThat(counter(c, "a")).as("an expired token is a new request").isEqualTo("41");
      }
    }
  }

  @Test
  void aDamagedRecordDoesNotStopTheSweepOfTheRecordsAfterIt() throws Exception {
    ChildJvm jvm = new ChildJvm(tmp);
    try (LocalKeyProvider p = jvm.provider()) {
      try (Coffer c = open(jvm, p)) {
        for (int i = 0; i < 40; i++) {
          c.transactWriteItems(add("old-" + i, "a", 1));
        }
      }
      try (RawStore raw = new RawStore(jvm.dir())) {
        var def = raw.families().get("default");
        byte[] first =
            raw.entries(def).keySet().stream()
                .filter(k -> startsWith(k, TOKEN_PREFIX))
                .findFirst()
                .orElseThrow();
        byte[] sealed = raw.get(def, first);
        sealed[sealed.length - 1] ^= 1; // the first record in key order no longer authenticates
        raw.put(def, first, sealed);
      }
      clock.advance(Duration.ofMinutes(11));
      try (Coffer c = open(jvm, p)) {
        for (int i = 0; i < 16; i++) {
          c.transactWriteItems(add("new-" + i, "b", 1));
        }
      }
      // the sweep after the 16th new token passed over the damaged record and deleted the 39
      // expired ones after it (a sweep that stopped at the damage deleted none, at every step)
      assertThat(tokenRecords(jvm)).isEqualTo(1 + 16);
    }
  }

  @Test
  void noTokenIsOnDiskInPlaintext() throws Exception {
    ChildJvm jvm = new ChildJvm(tmp);
    List<String> tokens = List.of("TOKEN-MARKER-7f3a9c", "ZQXJ-token-plaintext-4411");
    try (LocalKeyProvider p = jvm.provider()) {
      try (Coffer c = open(jvm, p)) {
        for (String t : tokens) {
          c.transactWriteItems(add(t, "a", 1));
        }
        PlaintextScan.assertNoMarkers(jvm.dir(), tokens, "while open");
      }
      PlaintextScan.assertNoMarkers(jvm.dir(), tokens, "after close");
      try (Coffer c = open(jvm, p)) {
        c.transactWriteItems(add(tokens.get(0), "a", 1));
        assertThat(counter(c, "a")).isEqualTo("2");
      }
    }
  }

  @Test
  void aTokenRecordMovedUnderAnotherTokensKeyFailsToAuthenticate() throws Exception {
    ChildJvm jvm = new ChildJvm(tmp);
    try (LocalKeyProvider p = jvm.provider()) {
      try (Coffer c = open(jvm, p)) {
        c.transactWriteItems(add("first", "a", 1));
        c.transactWriteItems(add("second", "a", 1));
      }
      try (RawStore raw = new RawStore(jvm.dir())) {
        var def = raw.families().get("default");
        List<byte[]> keys =
            raw.entries(def).keySet().stream().filter(k -> startsWith(k, TOKEN_PREFIX)).toList();
        assertThat(keys).hasSize(2);
        byte[] v0 = raw.get(def, keys.get(0));
        byte[] v1 = raw.get(def, keys.get(1));
        raw.put(def, keys.get(0), v1); // swap the two records
        raw.put(def, keys.get(1), v0);
      }
      try (Coffer c = open(jvm, p)) {
        assertThatThrownBy(() -> c.transactWriteItems(add("first", "a", 1)))
            .isInstanceOf(CorruptionException.class)
            .hasMessageContaining("ClientRequestToken record");
        assertThat(counter(c, "a")).isEqualTo("2");
      }
    }
  }

  @Test
  void aTransactionAcknowledgedBeforeASigkillIsNotAppliedAgainByItsReplay() throws Exception {
    ChildJvm jvm = new ChildJvm(tmp);
    ChildJvm.Running child = jvm.start("token", "0");
    child.await(lines -> lines.stream().filter(l -> l.startsWith("T ")).count() >= 3);
    List<String> lines = child.kill();
    int acked = 0;
    for (String l : lines) {
      String[] f = l.split(" ");
      if (f.length == 3 && f[0].equals("T") && f[2].equals(".")) {
        assertThat(Integer.parseInt(f[1])).isEqualTo(acked);
        acked++;
      }
    }
    assertThat(acked).isGreaterThanOrEqualTo(3);
    try (LocalKeyProvider p = jvm.provider();
        Coffer c = Coffer.open(jvm.dir(), jvm.options(p).build())) {
      long before = Long.parseLong(counter(c, "tok", "c0"));
      assertThat(before)
          .as("every acknowledged transaction applied, at most one more in flight")
          .isBetween((long) acked, (long) acked + 1);
      for (int i = 0; i < acked; i++) {
        c.transactWriteItems(CrashChild.tokenRequest("0", i));
      }
      assertThat(counter(c, "tok", "c0"))
          .as("acknowledged ones not applied again")
          .isEqualTo("" + before);
      c.transactWriteItems(CrashChild.tokenRequest("0", acked)); // the one in flight, if any
      assertThat(counter(c, "tok", "c0"))
          .as("the one in flight applied exactly once")
          .isEqualTo("" + (acked + 1));
      TransactWriteItemsRequest other =
          CrashChild.tokenRequest("0", 1).toBuilder()
              .transactItems(
                  TransactWriteItem.update(
                      "tok",
                      Key.of("c0"),
                      Update.builder().add("n", AttributeValue.n(2)).build(),
                      null))
              .build();
      assertThatThrownBy(() -> c.transactWriteItems(other))
          .isInstanceOf(IdempotentParameterMismatchException.class);
      assertThat(c.verify().clean()).isTrue();
    }
  }

  private static int tokenRecords(ChildJvm jvm) throws Exception {
    try (RawStore raw = new RawStore(jvm.dir())) {
      return (int)
          raw.entries(raw.families().get("default")).keySet().stream()
              .filter(k -> startsWith(k, TOKEN_PREFIX))
              .count();
    }
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }
}
