package dev.coffer.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.Coffer;
import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two and four writer JVMs on one store in DynamoDB (dynalite), writing the same partitions at once
 * (each its own sort keys, so the outcome is determined; plus counters every writer increments and
 * keys every writer tries to create conditionally) with pages small enough that writes split and
 * merge: the store ends equal to the reference their acknowledged writes make (every acknowledged
 * increment counted, one winner per contested key), read by Query and by Scan, and verifies clean.
 * {@code -Dcoffer.dynamodb.long=true} runs ten times the writes.
 */
class MultiWriterTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} writer JVMs")
  @ValueSource(ints = {2, 4})
  void writersOnOverlappingPartitionsEndEqualToTheReference(int writers) throws Exception {
    int ops = (Boolean.getBoolean("coffer.dynamodb.long") ? 10 : 1) * (writers == 2 ? 150 : 80);
    int partitions = 3;
    Writers w = new Writers(tmp);
    w.createStore();
    List<Writers.Child> children = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      children.add(w.start("write", i + 1, partitions, ops, 1000L * writers + i));
    }
    for (Writers.Child c : children) {
      c.go();
    }
    List<List<String>> outputs = new ArrayList<>();
    long conflicts = 0;
    for (Writers.Child c : children) {
      outputs.add(c.finish(600));
      conflicts += c.conflicts();
    }
    System.out.println(
        writers
            + " writer JVMs, "
            + ops
            + " writes each: "
            + conflicts
            + " conditional writes lost to another writer and retried");
    for (List<String> out : outputs) {
      assertThat(out).contains("DONE");
    }
    Map<String, String> reference = Writers.reference(outputs);
    try (LocalKeyProvider p = w.provider();
        Coffer c = Coffer.open(w.options(p).build())) {
      assertThat(Writers.contents(c.table("shared"), partitions)).isEqualTo(reference);
      assertThat(c.table("shared").verify().findings()).isEmpty();
    }
  }
}
