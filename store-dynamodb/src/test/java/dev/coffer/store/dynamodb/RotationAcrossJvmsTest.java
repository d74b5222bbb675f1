package dev.coffer.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.Coffer;
import dev.coffer.DataKeyVersionInfo;
import dev.coffer.ReencryptOptions;
import dev.coffer.ReencryptResult;
import dev.coffer.Table;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key rotation in one JVM while another writes, on one store in DynamoDB (dynalite): a data-key
 * rotation, the re-encryption job (which must wait for the writer to see the rotation before it
 * destroys the old version), and a master-key rewrap. The writer sees the new version within its
 * refresh interval and keeps writing; nothing it acknowledged is lost, and after the old version is
 * destroyed every item still reads.
 */
class RotationAcrossJvmsTest {
  @TempDir Path tmp;

  @Test
  void aRotationInOneJvmWhileAnotherWrites() throws Exception {
    int partitions = 3;
    Writers w = new Writers(tmp);
    w.createStore();
    String newMaster;
    try (LocalKeyProvider p = w.provider()) {
      newMaster = p.createKey(CreateKeyRequest.withDescription("after rewrap")).keyId();
    }
    Writers.Child writer = w.start("write", 1, partitions, 400, 3);
    writer.go();
    writer.await(l -> l.stream().filter(x -> x.startsWith("ACK ")).count() >= 40, 300);
    ReencryptResult result;
    try (LocalKeyProvider p = w.provider();
        Coffer c = Coffer.open(w.options(p).build())) {
      Table t = c.table("shared");
      assertThat(t.rotateDataKey()).isEqualTo(2);
      result = t.reencrypt(ReencryptOptions.defaults());
      c.rotateMasterKey(newMaster);
    }
    List<String> out = writer.finish(600);
    assertThat(out).contains("DONE");
    assertThat(result.finished()).isTrue();
    assertThat(result.destroyedVersions()).containsExactly(1);
    Map<String, String> reference = Writers.reference(List.of(out));
    try (LocalKeyProvider p = w.provider();
        Coffer c = Coffer.open(w.options(p).masterKeyId(newMaster).build())) {
      Table t = c.table("shared");
      assertThat(t.describe().dataKeys())
          .extracting(DataKeyVersionInfo::state)
          .containsExactly(DataKeyVersionInfo.State.DESTROYED, DataKeyVersionInfo.State.PRIMARY);
      assertThat(Writers.contents(t, partitions)).isEqualTo(reference);
      assertThat(t.verify().findings()).isEmpty();
    }
  }
}
