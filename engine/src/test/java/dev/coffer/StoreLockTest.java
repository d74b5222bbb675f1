package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that is open elsewhere is refused with a sentence that says so, not RocksDB's LOCK error.
 */
class StoreLockTest {
  @TempDir Path tmp;

  @Test
  void aStoreOpenInAnotherProcessIsRefusedClearly() throws Exception {
    ChildJvm jvm = new ChildJvm(tmp);
    ChildJvm.Running child = jvm.start("hold", "r0");
    try (LocalKeyProvider p = jvm.provider()) {
      assertThatThrownBy(() -> Coffer.open(jvm.dir(), jvm.options(p).build()))
          .isInstanceOf(StoreLockedException.class)
          .isInstanceOf(StorageException.class)
          .hasMessage(
              "The store at "
                  + jvm.dir()
                  + " is open in another process (it holds "
                  + jvm.dir().resolve("LOCK")
                  + "); close it there first")
          .satisfies(
              e -> assertThat(((CofferException) e).errorCode()).isEqualTo("InternalServerError"));
    }
    child.kill();
    try (LocalKeyProvider p = jvm.provider();
        Coffer c = Coffer.open(jvm.dir(), jvm.options(p).build())) {
      assertThat(c.listTables()).isEmpty();
      assertThatThrownBy(() -> Coffer.open(jvm.dir(), jvm.options(p).build()))
          .isInstanceOf(StoreLockedException.class)
          .hasMessageContaining("is already open in this process");
    }
  }
}
