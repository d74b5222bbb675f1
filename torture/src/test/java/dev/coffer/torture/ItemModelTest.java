package dev.coffer.torture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.Item;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reference model judges synthetic histories as it must: every allowed outcome of in-flight and
 * concurrent operations passes, and each kind of loss is caught and named, the all-or-nothing rule
 * of transactions and batches among them (on the journaled kind "TXN").
 */
class ItemModelTest {
  private static final TableShape T = TableShape.forName("t_pk");

  private final ItemModel model = new ItemModel();

  private static Item item(String opId, int index, int key, int size) {
    return ItemFactory.item(T, key, Write.valueId(opId, index), size);
  }

  private List<Violation> check(List<String> journal, Map<Integer, Item> observed) {
    CycleHistory h = CycleHistory.parse(journal);
    assertThat(h.errors()).isEmpty();
    return model
        .check(h, Map.of("t_pk", T), Map.of("t_pk", new HashMap<>(observed)), 1)
        .violations();
  }

  private static List<Violation.Type> types(List<Violation> vs) {
    List<Violation.Type> out = new ArrayList<>();
    vs.forEach(v -> out.add(v.type()));
    return out;
  }

  @Test
  void acknowledgedPutMustBeThere() {
    List<String> j = List.of("READY", "B a W PUT N P,t_pk,3,10", "A a");
    assertThat(check(j, Map.of(3, item("a", 0, 3, 10)))).isEmpty();
  }

  @Test
  void lostPutIsCaught() {
    List<String> j = List.of("B a W PUT N P,t_pk,3,10", "A a");
    assertThat(types(check(j, Map.of()))).containsExactly(Violation.Type.LOST);
  }

  @Test
  void olderValueAfterAcknowledgedOverwriteIsStale() {
    List<String> j = List.of("B a W PUT N P,t_pk,3,10", "A a", "B b W PUT N P,t_pk,3,20", "A b");
    assertThat(types(check(j, Map.of(3, item("a", 0, 3, 10)))))
        .containsExactly(Violation.Type.STALE);
    assertThat(check(j, Map.of(3, item("b", 0, 3, 20)))).isEmpty();
  }

  @Test
  void deletedValueMustNotComeBack() {
    List<String> j = List.of("B a W PUT N P,t_pk,3,10", "A a", "B b W DEL N D,t_pk,3", "A b");
    assertThat(types(check(j, Map.of(3, item("a", 0, 3, 10)))))
        .containsExactly(Violation.Type.RESURRECTED);
    assertThat(check(j, Map.of())).isEmpty();
  }

  @Test
  void unknownValueIsPhantomAndChangedContentIsWrong() {
    List<String> j = List.of("B a W PUT N P,t_pk,3,10", "A a");
    assertThat(types(check(j, Map.of(3, item("zz", 0, 3, 10)))))
        .containsExactly(Violation.Type.PHANTOM);
    Item changed = item("a", 0, 3, 10).toBuilder().string("extra", "x").build();
    assertThat(types(check(j, Map.of(3, changed)))).containsExactly(Violation.Type.WRONG);
    // a key nobody wrote must stay empty
    assertThat(
            types(
                new ItemModel()
                    .check(
                        CycleHistory.parse(List.of()),
                        Map.of("t_pk", T),
                        Map.of("t_pk", Map.of(7, item("a", 0, 7, 10))),
                        1)
                    .violations()))
        .containsExactly(Violation.Type.PHANTOM);
  }

  @Test
  void inFlightWriteMayBeAppliedOrNot() {
    List<String> j = List.of("B a W PUT N P,t_pk,3,10", "A a", "B b W PUT N P,t_pk,3,20");
    ItemModel.Verdict applied =
        new ItemModel()
            .check(
                CycleHistory.parse(j),
                Map.of("t_pk", T),
                Map.of("t_pk", Map.of(3, item("b", 0, 3, 20))),
                1);
    assertThat(applied.violations()).isEmpty();
    assertThat(applied.unackedOps()).isEqualTo(1);
    assertThat(applied.unackedVisible()).isEqualTo(1);
    ItemModel.Verdict absent =
        new ItemModel()
            .check(
                CycleHistory.parse(j),
                Map.of("t_pk", T),
                Map.of("t_pk", Map.of(3, item("a", 0, 3, 10))),
                1);
    assertThat(absent.violations()).isEmpty();
    assertThat(absent.unackedVisible()).isZero();
    // but not the value before the acknowledged one
    assertThat(types(check(j, Map.of()))).containsExactly(Violation.Type.LOST);
  }

  @Test
  void inFlightDeleteMayBeAppliedOrNot() {
    List<String> j = List.of("B a W PUT N P,t_pk,3,10", "A a", "B b W DEL N D,t_pk,3");
    assertThat(check(j, Map.of())).isEmpty();
    assertThat(
            new ItemModel()
                .check(
                    CycleHistory.parse(j),
                    Map.of("t_pk", T),
                    Map.of("t_pk", new HashMap<>(Map.of(3, item("a", 0, 3, 10)))),
                    1)
                .violations())
        .isEmpty();
  }

  @Test
  void overlappingAcknowledgedWritesMayEndEitherWay() {
    // b began before a ended: either order is a linearisation
    List<String> j = List.of("B a W PUT N P,t_pk,3,10", "B b W PUT N P,t_pk,3,20", "A a", "A b");
    assertThat(check(j, Map.of(3, item("a", 0, 3, 10)))).isEmpty();
    assertThat(
            new ItemModel()
                .check(
                    CycleHistory.parse(j),
                    Map.of("t_pk", T),
                    Map.of("t_pk", Map.of(3, item("b", 0, 3, 20))),
                    1)
                .violations())
        .isEmpty();
  }

  @Test
  void refusedWriteMustHaveNoEffect() {
    List<String> j = List.of("B a W PUT N P,t_pk,3,10", "F a REJECTED ResourceNotFoundException");
    assertThat(check(j, Map.of())).isEmpty();
    assertThat(
            types(
                new ItemModel()
                    .check(
                        CycleHistory.parse(j),
                        Map.of("t_pk", T),
                        Map.of("t_pk", Map.of(3, item("a", 0, 3, 10))),
                        1)
                    .violations()))
        .containsExactly(Violation.Type.PHANTOM);
  }

  @Test
  void failedWriteMayHaveApplied() {
    List<String> j = List.of("B a W PUT N P,t_pk,3,10", "F a FAILED StorageException");
    assertThat(check(j, Map.of(3, item("a", 0, 3, 10)))).isEmpty();
  }

  @Test
  void theObservedStateCarriesToTheNextCycle() {
    assertThat(check(List.of("B a W PUT N P,t_pk,3,10"), Map.of(3, item("a", 0, 3, 10)))).isEmpty();
    assertThat(model.state("t_pk")).containsOnlyKeys(3);
    assertThat(check(List.of(), Map.of(3, item("a", 0, 3, 10)))).isEmpty();
    assertThat(types(check(List.of(), Map.of()))).containsExactly(Violation.Type.LOST);
  }

  @Test
  void transactionIsAllOrNothing() {
    List<String> j = List.of("B t W TXN A P,t_pk,1,10 P,t_pk,2,10 D,t_pk,5");
    Map<Integer, Item> all = Map.of(1, item("t", 0, 1, 10), 2, item("t", 1, 2, 10));
    Map<Integer, Item> none = Map.of(5, item("s", 0, 5, 1));
    Map<Integer, Item> half = Map.of(1, item("t", 0, 1, 10), 5, item("s", 0, 5, 1));
    assertThat(checkAfterKey5(j, all)).isEmpty();
    assertThat(checkAfterKey5(j, none)).isEmpty();
    assertThat(types(checkAfterKey5(j, half)))
        .containsExactly(Violation.Type.HALF_APPLIED, Violation.Type.HALF_APPLIED);
  }

  /** Checks {@code journal} in a new model whose first cycle left item s on key 5. */
  private static List<Violation> checkAfterKey5(List<String> journal, Map<Integer, Item> observed) {
    ItemModel m = new ItemModel();
    assertThat(
            m.check(
                    CycleHistory.parse(List.of("B s W PUT N P,t_pk,5,1", "A s")),
                    Map.of("t_pk", T),
                    Map.of("t_pk", Map.of(5, item("s", 0, 5, 1))),
                    1)
                .violations())
        .isEmpty();
    return m.check(
            CycleHistory.parse(journal),
            Map.of("t_pk", T),
            Map.of("t_pk", new HashMap<>(observed)),
            2)
        .violations();
  }

  @Test
  void transactionKeyOverwrittenByALaterWriteIsNotHalfApplied() {
    // u began while t was in flight and overwrote key 2: t applied, then u
    List<String> j =
        List.of("B t W TXN A P,t_pk,1,10 P,t_pk,2,10", "B u W PUT N P,t_pk,2,30", "A u");
    Map<Integer, Item> observed = Map.of(1, item("t", 0, 1, 10), 2, item("u", 0, 2, 30));
    assertThat(check(j, observed)).isEmpty();
  }

  @Test
  void transactionHalfVisibleThroughItsDeleteIsCaught() {
    // key 5 held s; only t's delete can have emptied it, so t applied, but key 1 lacks t's put
    List<String> j0 = List.of("B s W PUT N P,t_pk,5,1", "A s");
    assertThat(check(j0, Map.of(5, item("s", 0, 5, 1)))).isEmpty();
    List<String> j = List.of("B t W TXN A P,t_pk,1,10 D,t_pk,5");
    assertThat(types(check(j, Map.of()))).containsExactly(Violation.Type.HALF_APPLIED);
  }

  @Test
  void aTransactionsDeleteOfAKeyThatWasAlreadyEmptyShowsNothing() {
    // key 5 was empty at the start of the cycle: t's delete there does not show that t applied, so
    // t's puts being absent is "not applied", not half-applied (found by the first torture cycle
    // that ran transactions)
    List<String> j = List.of("B t W TXN A D,t_pk,5 P,t_pk,1,10 P,t_pk,2,10");
    assertThat(check(j, Map.of())).isEmpty();
    ItemModel fresh = new ItemModel();
    assertThat(
            fresh
                .check(
                    CycleHistory.parse(j),
                    Map.of("t_pk", T),
                    Map.of(
                        "t_pk",
                        new HashMap<>(Map.of(1, item("t", 1, 1, 10), 2, item("t", 2, 2, 10)))),
                    1)
                .violations())
        .isEmpty();
    assertThat(
            types(
                new ItemModel()
                    .check(
                        CycleHistory.parse(j),
                        Map.of("t_pk", T),
                        Map.of("t_pk", new HashMap<>(Map.of(1, item("t", 1, 1, 10)))),
                        1)
                    .violations()))
        .containsExactly(Violation.Type.HALF_APPLIED);
  }
}
