package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.internal.catalog.ReencryptionCursor;
import dev.coffer.proto.ReencryptionState;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A re-encryption started while a manual data-key rotation is half done (its catalog entry written,
 * the new version not yet primary) must see either the state before the rotation or the state after
 * it, never the old version RETIRED while it is still the primary.
 */
class RotationReencryptionRaceTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();

  private static Item order(int customer, int n) {
    return Item.builder()
        .string("customer", "c" + customer)
        .number("n", n)
        .string("payload", "p" + customer + "-" + n)
        .build();
  }

  @Test
  void aWriteDuringAHalfDoneRotationIsNotSealedUnderAVersionTheJobDestroys() throws Exception {
    TestBackend[] backend = new TestBackend[1];
    try (Coffer c = TestBackend.open(dir, stores.options().build(), backend)) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("orders")
                  .partitionKey("customer", AttributeType.S)
                  .sortKey("n", AttributeType.N)
                  .build());
      // an interrupted job's saved state for the current primary (version 1): the job resumes it
      // without writing the catalog first
      new ReencryptionCursor(c.catalog())
          .save(
              c.catalog().get("orders"),
              ReencryptionState.newBuilder().setTargetVersion(1).setStartedMillis(1).build());
      AtomicReference<Object> outcome = new AtomicReference<>();
      Thread job =
          new Thread(
              () -> {
                try {
                  outcome.set(t.reencrypt(ReencryptOptions.defaults()));
                } catch (RuntimeException e) {
                  outcome.set(e);
                }
              });
      Thread writer = new Thread(() -> t.putItem(order(1, 1)));
      // The rotation's commit is the next one: the hook runs after its catalog write, under the
      // catalog lock, before the new version is made primary and the entry published.
      backend[0].afterCommit(
          batch -> {
            backend[0].afterCommit(b -> {});
            try {
              job.start();
              job.join(1000); // the job runs as far as it can while the rotation is half done
              writer.start(); // a write in the same window
              writer.join();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      assertThat(t.rotateDataKey()).isEqualTo(2);
      job.join();
      assertThat(outcome.get()).isInstanceOf(ReencryptResult.class);
      assertThat(t.describe().dataKeys())
          .extracting(DataKeyVersionInfo::state)
          .containsExactly(DataKeyVersionInfo.State.DESTROYED, DataKeyVersionInfo.State.PRIMARY);
      assertThat(t.getItem(Key.of(AttributeValue.s("c1"), AttributeValue.n(1))))
          .contains(order(1, 1));
    }
    try (Coffer c = stores.open(dir, 0)) {
      assertThat(c.table("orders").getItem(Key.of(AttributeValue.s("c1"), AttributeValue.n(1))))
          .contains(order(1, 1));
    }
  }
}
