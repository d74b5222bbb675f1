package dev.coffer.torture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.ResourceNotFoundException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the child journals is what the parent parses: ids, writes, steps, results and outcomes. */
class JournalTest {
  @Test
  void linesRoundTripThroughTheParser() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Journal j = new Journal(out, "c7", () -> {});
    j.line("READY");
    String put = j.beginWrites("w0", "PUT", false, List.of(Write.put("t_pk", 3, 120)));
    String txn =
        j.beginWrites("w1", "TXN", true, List.of(Write.put("t_sk", 1, 0), Write.delete("t_pk", 9)));
    String rot = j.beginStep("l", LifecycleStep.ROTATE, "t_sk");
    j.ack(put);
    j.ack(rot, 4);
    String drop = j.beginStep("l", LifecycleStep.DROP, "d7n0k1");
    j.fail(drop, Outcomes.Outcome.REJECTED, new ResourceNotFoundException("gone"));
    j.fail(txn, Outcomes.Outcome.UNEXPECTED, new IllegalStateException("boom"));

    CycleHistory h = CycleHistory.parse(List.of(out.toString(StandardCharsets.UTF_8).split("\n")));
    assertThat(h.ready()).isTrue();
    assertThat(h.lines()).isEqualTo(9);
    assertThat(h.itemOps()).hasSize(2);
    Op p = h.itemOps().get(0);
    assertThat(p.id()).isEqualTo(put).startsWith("c7.w0.");
    assertThat(p.status()).isEqualTo(Op.Status.ACKED);
    assertThat(p.writes()).containsExactly(Write.put("t_pk", 3, 120));
    assertThat(p.begin()).isLessThan(p.end());
    Op t = h.itemOps().get(1);
    assertThat(t.atomic()).isTrue();
    assertThat(t.writes()).containsExactly(Write.put("t_sk", 1, 0), Write.delete("t_pk", 9));
    assertThat(t.status()).isEqualTo(Op.Status.FAILED);
    assertThat(h.steps()).extracting(Op::kind).containsExactly("ROTATE", "DROP");
    assertThat(h.steps().get(0).result()).containsExactly("4");
    assertThat(h.steps().get(1).status()).isEqualTo(Op.Status.REJECTED);
    assertThat(h.errors()).singleElement().asString().contains("IllegalStateException");
  }

  @Test
  void unfinishedOperationsAreInFlight() {
    CycleHistory h = CycleHistory.parse(List.of("READY", "B c1.w0.1 W DEL N D,t_pk,3"));
    assertThat(h.itemOps().get(0).status()).isEqualTo(Op.Status.IN_FLIGHT);
    assertThat(h.itemOps().get(0).end()).isEqualTo(Op.NEVER);
    assertThat(h.errors()).isEmpty();
  }

  @Test
  void malformedLinesAreReportedNotGuessed() {
    CycleHistory h = CycleHistory.parse(List.of("B x W PUT N P,t_pk", "A nobody", "Z"));
    assertThat(h.errors()).hasSize(3);
  }

  @Test
  void aLineHasNoLineBreak() {
    Journal j = new Journal(new ByteArrayOutputStream(), "c1", () -> {});
    assertThatThrownBy(() -> j.line("a\nb")).isInstanceOf(IllegalArgumentException.class);
  }
}
