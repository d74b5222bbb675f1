package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.memory.FaultInjector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The re-encryption job fails closed like item operations: a refused access check stops it,
 * resumably.
 */
class ReencryptionAccessCheckTest {
  private static final Duration INTERVAL = Duration.ofMinutes(1);

  @TempDir Path dir;

  private final TestStores stores = new TestStores();
  private final MutableClock clock = new MutableClock();

  @Test
  void aRefusedAccessCheckStopsTheJobAndAGrantLetsItResume() {
    try (Coffer c =
        Coffer.open(dir, stores.options().accessCheckInterval(INTERVAL).clock(clock).build())) {
      Table t =
          c.createTable(
              TableSpec.builder().name("t01").partitionKey("id", AttributeType.S).build());
      for (int i = 0; i < 50; i++) {
        t.putItem(Item.builder().string("id", "k" + i).build());
      }
      t.rotateDataKey();
      AtomicBoolean revoked = new AtomicBoolean();
      assertThatThrownBy(
              () ->
                  t.reencrypt(
                      ReencryptOptions.builder()
                          .persistEveryPages(1)
                          .listener(
                              p -> {
                                if (p.pagesDone() >= 5 && revoked.compareAndSet(false, true)) {
                                  FaultInjector.of(stores.provider)
                                      .deny("kms:Decrypt"); // the master key is revoked mid-run
                                  clock.advance(INTERVAL); // and the next access check is due
                                }
                              })
                          .build()))
          .isInstanceOf(AccessDeniedException.class);
      assertThat(revoked).isTrue();
      TableDescription d = t.describe();
      assertThat(d.reencryption()).isPresent(); // resumable
      assertThat(d.reencryption().get().pagesDone()).isLessThan(50);
      assertThat(d.dataKeys())
          .extracting(DataKeyVersionInfo::state)
          .containsExactly(DataKeyVersionInfo.State.RETIRED, DataKeyVersionInfo.State.PRIMARY);

      FaultInjector.of(stores.provider).allow("kms:Decrypt");
      clock.advance(INTERVAL);
      ReencryptResult r = t.reencrypt(ReencryptOptions.defaults());
      assertThat(r.finished()).isTrue();
      assertThat(r.resumed()).isTrue();
      assertThat(r.destroyedVersions()).containsExactly(1);
      assertThat(t.getItem(Key.of("k7"))).isPresent();
    }
  }
}
