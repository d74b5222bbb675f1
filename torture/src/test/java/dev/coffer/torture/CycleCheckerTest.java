package dev.coffer.torture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.Coffer;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checker on a real store, against journals that tell the truth and journals that claim what
 * the store does not hold: each kind of loss is found (so a clean torture run means something), and
 * unacknowledged steps are accepted either way.
 */
class CycleCheckerTest {
  @TempDir Path dir;

  private final byte[] rawKey = new byte[32];
  private final TortureReport report = new TortureReport();
  private Path store;
  private Path keystore;
  private StoreModel model;
  private CycleChecker checker;
  private int cycle;

  @BeforeEach
  void store() {
    new SecureRandom().nextBytes(rawKey);
    store = dir.resolve("store");
    keystore = dir.resolve("keystore");
    List<String> pool = new ArrayList<>();
    try (LocalKeyProvider keys = TortureKeys.open(keystore, rawKey)) {
      pool.add(keys.createKey(CreateKeyRequest.withDescription("a")).keyId());
      pool.add(keys.createKey(CreateKeyRequest.withDescription("b")).keyId());
      model = new StoreModel(pool, pool.get(0));
      try (Coffer c = Coffer.open(store, TortureKeys.options(keys, pool.get(0), 0))) {
        for (TableShape s : TableShape.CORE) {
          c.createTable(s.spec());
          model.tables().put(s.name(), new StoreModel.TableState(s, 1));
        }
      }
    }
    checker = new CycleChecker(store, keystore, rawKey, model, report);
  }

  /** Does what a child would have done. */
  private void child(Consumer<Coffer> work) {
    try (LocalKeyProvider keys = TortureKeys.open(keystore, rawKey);
        Coffer c = Coffer.open(store, TortureKeys.options(keys, model.masterKey(), 0))) {
      work.accept(c);
    }
  }

  private static void put(Coffer c, String table, int key, String opId, int size) {
    c.table(table)
        .putItem(ItemFactory.item(TableShape.forName(table), key, Write.valueId(opId, 0), size));
  }

  private List<Violation.Type> check(String... journal) {
    List<Violation.Type> out = new ArrayList<>();
    checker
        .check(++cycle, CycleHistory.parse(List.of(journal)), new SplittableRandom(cycle), true)
        .forEach(v -> out.add(v.type()));
    return out;
  }

  @Test
  void aTruthfulJournalIsClean() {
    child(
        c -> {
          put(c, "t_pk", 3, "a", 10);
          put(c, "t_sk", 5, "b", 20);
          c.table("t_sk").rotateDataKey();
        });
    assertThat(
            check(
                "READY",
                "B a W PUT N P,t_pk,3,10",
                "B b W PUT N P,t_sk,5,20",
                "A a",
                "A b",
                "B r L ROTATE t_sk",
                "A r 2"))
        .isEmpty();
    assertThat(report.ackedItemOps()).isEqualTo(2);
    assertThat(report.ackedSteps()).isEqualTo(1);
    assertThat(model.table("t_sk").primary).isEqualTo(2);
    assertThat(model.table("t_sk").destroyed).containsExactly(1); // the checker finished the job
  }

  @Test
  void anAcknowledgedPutThatIsNotThereIsALoss() {
    assertThat(check("READY", "B a W PUT N P,t_pk,3,10", "A a"))
        .containsExactly(Violation.Type.LOST);
  }

  @Test
  void anAcknowledgedDeleteOfAnItemStillThereIsAResurrection() {
    child(c -> put(c, "t_skb", 7, "a", 10));
    assertThat(check("READY", "B a W PUT N P,t_skb,7,10", "A a")).isEmpty();
    assertThat(check("READY", "B d W DEL N D,t_skb,7", "A d"))
        .containsExactly(Violation.Type.RESURRECTED);
  }

  @Test
  void aTableDeletedByAnAcknowledgedDropMustBeGone() {
    TableShape t = TableShape.ddl(1, 0, TableShape.Kind.PK_S);
    child(c -> c.createTable(t.spec()));
    assertThat(check("READY", "B c L CREATE " + t.name(), "A c " + t.name())).isEmpty();
    assertThat(check("READY", "B d L DROP " + t.name(), "A d"))
        .containsExactly(Violation.Type.TABLE);
  }

  @Test
  void anUnacknowledgedCreateOrDropMayHaveHappenedOrNot() {
    TableShape t = TableShape.ddl(1, 0, TableShape.Kind.SK_NB);
    assertThat(check("READY", "B c L CREATE " + t.name())).isEmpty();
    child(c -> c.createTable(t.spec()));
    assertThat(check("READY", "B c2 L CREATE " + t.name())).isEmpty();
    assertThat(check("READY", "B d L DROP " + t.name())).isEmpty();
    child(c -> c.deleteTable(t.name()));
    assertThat(check("READY", "B d2 L DROP " + t.name())).isEmpty();
    assertThat(model.tables()).doesNotContainKey(t.name());
  }

  @Test
  void anAcknowledgedRewrapThatDidNotHappenIsAFailedReopen() {
    assertThat(check("READY", "B r L REWRAP " + model.keyPool().get(1), "A r 4"))
        .containsExactly(Violation.Type.REOPEN);
  }

  @Test
  void anUnacknowledgedRewrapMayHaveHappenedOrNot() {
    String b = model.keyPool().get(1);
    assertThat(check("READY", "B r L REWRAP " + b)).isEmpty();
    assertThat(model.masterKey()).isEqualTo(model.keyPool().get(0));
    child(c -> c.rotateMasterKey(b));
    assertThat(check("READY", "B r2 L REWRAP " + b)).isEmpty();
    assertThat(model.masterKey()).isEqualTo(b);
  }

  @Test
  void anAcknowledgedRotationThatIsNotThereIsCaught() {
    assertThat(check("READY", "B r L ROTATE t_pk", "A r 2")).containsExactly(Violation.Type.KEY);
  }

  @Test
  void aTableTheTortureNeverMadeIsCaught() {
    child(c -> c.createTable(TableShape.ddl(9, 9, TableShape.Kind.PK_S).spec()));
    assertThat(check("READY")).containsExactly(Violation.Type.TABLE);
  }
}
