package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.spi.BackendKey;
import dev.coffer.spi.BackendRecord;
import dev.coffer.spi.MemoryBackend;
import dev.coffer.spi.RecordBackend;
import dev.coffer.spi.ScanPage;
import dev.coffer.spi.WriteCondition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Several instances of one store on a shared backend (in memory, in this JVM): the conflict-retry
 * path made to happen deterministically, the key lifecycle across instances (rotation, destruction,
 * master-key rewrap, DeleteTable), the re-encryption lease, and garbage collection.
 */
class SharedInstancesTest {
  private final TestStores stores = new TestStores();

  private CofferOptions.Builder options(RecordBackend backend) {
    return stores
        .options()
        .backend(backend)
        .accessCheckInterval(Duration.ofMillis(100))
        .garbageGracePeriod(Duration.ofMillis(100));
  }

  private Coffer open(RecordBackend backend) {
    return Coffer.open(options(backend).build());
  }

  private static Table events(Coffer c) {
    return c.createTable(
        TableSpec.builder()
            .name("events")
            .partitionKey("pk", AttributeType.S)
            .sortKey("sk", AttributeType.N)
            .pageTargetBytes(256)
            .build());
  }

  private static Item item(String pk, int sk, String v) {
    return Item.builder().string("pk", pk).number("sk", sk).string("v", v).build();
  }

  /**
   * A backend that, once, just before a root swap of instance A reaches the backend, lets another
   * instance's write (B's) go first, so A's swap must fail and A must read again and retry.
   */
  private static class Interleave implements RecordBackend {
    private final RecordBackend delegate;
    final AtomicBoolean armed = new AtomicBoolean();
    final AtomicInteger lostSwaps = new AtomicInteger();
    volatile Runnable other = () -> {};

    Interleave(RecordBackend delegate) {
      this.delegate = delegate;
    }

    @Override
    public BackendRecord put(BackendRecord record, WriteCondition condition) {
      if (condition.kind() == WriteCondition.Kind.VERSION
          && record.partitionKey().length == 20
          && armed.compareAndSet(true, false)) {
        other.run();
      }
      try {
        return delegate.put(record, condition);
      } catch (dev.coffer.spi.ConditionFailedException e) {
        lostSwaps.incrementAndGet();
        throw e;
      }
    }

    @Override
    public String location() {
      return delegate.location();
    }

    @Override
    public int maxValueBytes() {
      return delegate.maxValueBytes();
    }

    @Override
    public BackendRecord get(byte[] pk, byte[] sk) {
      return delegate.get(pk, sk);
    }

    @Override
    public List<BackendRecord> query(byte[] pk, byte[] start, boolean inclusive, int limit) {
      return delegate.query(pk, start, inclusive, limit);
    }

    @Override
    public BackendRecord delete(byte[] pk, byte[] sk, WriteCondition condition) {
      return delegate.delete(pk, sk, condition);
    }

    @Override
    public void deleteAll(List<BackendKey> keys) {
      delegate.deleteAll(keys);
    }

    @Override
    public ScanPage scan(int segment, int total, BackendKey start, int limit) {
      return delegate.scan(segment, total, start, limit);
    }

    @Override
    public void close() {}
  }

  @Test
  void aSwapThatLosesToAnotherInstanceReadsAgainAndRetries() {
    MemoryBackend memory = new MemoryBackend();
    Interleave a = new Interleave(memory);
    try (Coffer ca = open(a);
        Coffer cb = open(memory)) {
      Table ta = events(ca);
      for (int i = 0; i < 30; i++) {
        ta.putItem(item("p", i, "a" + i)); // several leaves under an inner root
      }
      Table tb = cb.table("events");
      a.other = () -> tb.putItem(item("p", 1000, "from b"));
      a.armed.set(true);
      ta.putItem(item("p", 15, "a changed"));
      assertThat(a.lostSwaps.get()).isEqualTo(1);
      assertThat(tb.getItem(Key.of(AttributeValue.s("p"), AttributeValue.n(15))).get().get("v").s())
          .isEqualTo("a changed");
      assertThat(
              ta.getItem(Key.of(AttributeValue.s("p"), AttributeValue.n(1000))).get().get("v").s())
          .isEqualTo("from b");
      assertThat(ta.query(Query.partition("p")).items()).hasSize(31);
      assertThat(ta.verify().findings()).isEmpty();
    }
  }

  @Test
  void anUpdateOrAConditionalPutThatLosesItsSwapIsDecidedAgainOnTheNewRoot() {
    MemoryBackend memory = new MemoryBackend();
    Interleave a = new Interleave(memory);
    try (Coffer ca = open(a);
        Coffer cb = open(memory)) {
      Table ta = events(ca);
      for (int i = 0; i < 30; i++) {
        ta.putItem(item("p", i, "a" + i));
      }
      Table tb = cb.table("events");
      Key counter = Key.of(AttributeValue.s("p"), AttributeValue.n(7));
      Update add = Update.builder().add("count", AttributeValue.n(1)).build();
      // b increments the counter between a's read and a's swap: a's increment must apply on top of
      // it
      a.other = () -> tb.updateItem(UpdateItemRequest.builder().key(counter).update(add).build());
      a.armed.set(true);
      UpdateItemResponse r =
          ta.updateItem(
              UpdateItemRequest.builder()
                  .key(counter)
                  .update(add)
                  .returnValues(ReturnValue.UPDATED_NEW)
                  .build());
      assertThat(a.lostSwaps.get()).isEqualTo(1);
      assertThat(r.attributes().get().get("count").n()).isEqualTo("2");
      assertThat(tb.getItem(counter).get().get("count").n()).isEqualTo("2");

      // b creates the item between a's check (absent) and a's swap: a's conditional put must now
      // fail
      Item fresh = item("p", 500, "from a");
      a.other = () -> tb.putItem(item("p", 500, "from b"));
      a.armed.set(true);
      assertThatThrownBy(
              () ->
                  ta.putItem(
                      PutItemRequest.builder()
                          .item(fresh)
                          .condition(Condition.attributeNotExists("sk"))
                          .build()))
          .isInstanceOf(ConditionalCheckFailedException.class);
      assertThat(a.lostSwaps.get()).isEqualTo(2);
      assertThat(
              ta.getItem(Key.of(AttributeValue.s("p"), AttributeValue.n(500))).get().get("v").s())
          .isEqualTo("from b");
      assertThat(ta.verify().findings()).isEmpty();
    }
  }

  /**
   * A backend that runs {@code other} once, just before the {@code n}-th root read after {@link
   * #arm}.
   */
  private static final class RootReads extends Interleave {
    private final AtomicInteger countdown = new AtomicInteger(-1);

    RootReads(RecordBackend delegate) {
      super(delegate);
    }

    void arm(int n) {
      countdown.set(n);
    }

    @Override
    public BackendRecord get(byte[] pk, byte[] sk) {
      if (pk.length == 20
          && java.util.Arrays.equals(sk, new byte[1])
          && countdown.get() > 0
          && countdown.decrementAndGet() == 0) {
        other.run();
      }
      return super.get(pk, sk);
    }
  }

  @Test
  void aTransactGetItemsDuringWhichARootMovesReadsAgain() {
    MemoryBackend memory = new MemoryBackend();
    RootReads a = new RootReads(memory);
    try (Coffer ca = open(a);
        Coffer cb = open(memory)) {
      Table ta =
          ca.createTable(
              TableSpec.builder().name("flat").partitionKey("id", AttributeType.S).build());
      ta.putItem(Item.builder().string("id", "x").number("n", 1).build());
      ta.putItem(Item.builder().string("id", "y").number("n", 1).build());
      Table tb = cb.table("flat");
      // the third root read is the first of the second pass: b changes x just before it
      a.other = () -> tb.putItem(Item.builder().string("id", "x").number("n", 2).build());
      a.arm(3);
      List<java.util.Optional<Item>> got =
          ca.transactGetItems(
                  TransactGetItemsRequest.of(
                      TransactGetItem.of("flat", Key.of("x")),
                      TransactGetItem.of("flat", Key.of("y"))))
              .responses();
      assertThat(got.get(0).get().get("n").n()).isEqualTo("2"); // read again after the root moved
      assertThat(got.get(1).get().get("n").n()).isEqualTo("1");
    }
  }

  @Test
  void aDataKeyRotationInOneInstanceIsSeenByTheOtherWithinTheInterval() throws Exception {
    MemoryBackend memory = new MemoryBackend();
    try (Coffer a = open(memory);
        Coffer b = open(memory)) {
      Table ta = events(a);
      ta.putItem(item("p", 1, "one"));
      Table tb = b.table("events");
      assertThat(tb.describe().dataKeys()).hasSize(1);
      assertThat(ta.rotateDataKey()).isEqualTo(2);
      Thread.sleep(150);
      tb.putItem(
          item("p", 2, "two")); // b's first operation after the interval reads the catalog again
      assertThat(tb.describe().dataKeys())
          .extracting(DataKeyVersionInfo::state)
          .containsExactly(DataKeyVersionInfo.State.RETIRED, DataKeyVersionInfo.State.PRIMARY);
      // re-encryption in a (waits for b's view), then b reads everything with v1 destroyed
      ReencryptResult r = ta.reencrypt(ReencryptOptions.defaults());
      assertThat(r.destroyedVersions()).containsExactly(1);
      Thread.sleep(150);
      assertThat(tb.query(Query.partition("p")).items()).hasSize(2);
      assertThat(tb.describe().dataKeys().get(0).state())
          .isEqualTo(DataKeyVersionInfo.State.DESTROYED);
    }
  }

  @Test
  void tablesCreatedAndDeletedInOneInstanceAreSeenByTheOther() throws Exception {
    MemoryBackend memory = new MemoryBackend();
    try (Coffer a = open(memory);
        Coffer b = open(memory)) {
      Table ta = events(a);
      ta.putItem(item("p", 1, "one"));
      assertThat(b.table("events").getItem(Key.of(AttributeValue.s("p"), AttributeValue.n(1))))
          .isPresent();
      assertThatThrownBy(
              () ->
                  b.createTable(
                      TableSpec.builder()
                          .name("events")
                          .partitionKey("x", AttributeType.S)
                          .build()))
          .isInstanceOf(ResourceInUseException.class);
      Table tb = b.table("events");
      a.deleteTable("events");
      Thread.sleep(150);
      assertThatThrownBy(() -> tb.getItem(Key.of(AttributeValue.s("p"), AttributeValue.n(1))))
          .isInstanceOf(ResourceNotFoundException.class);
      assertThat(b.listTables()).isEmpty();
      assertThat(memory.all())
          .allSatisfy(r -> assertThat(r.partitionKey().length).isNotEqualTo(32));
    }
  }

  @Test
  void aMasterKeyRewrapInOneInstanceIsAdoptedByTheOther() throws Exception {
    MemoryBackend memory = new MemoryBackend();
    String newKey =
        stores
            .provider
            .createKey(dev.coffer.kms.KeyManagement.CreateKeyRequest.withDescription("new"))
            .keyId();
    try (Coffer a = open(memory);
        Coffer b = open(memory)) {
      events(a).putItem(item("p", 1, "one"));
      a.rotateMasterKey(newKey);
      Thread.sleep(150);
      b.table("events").putItem(item("p", 2, "two"));
      assertThat(b.keyInfo().masterKeyId()).contains(newKey);
      b.table("events").rotateDataKey(); // wrapped under the master key a moved to
    }
    try (Coffer c = Coffer.open(options(memory).masterKeyId(newKey).build())) {
      assertThat(c.table("events").query(Query.partition("p")).items()).hasSize(2);
    }
  }

  @Test
  void onlyOneInstanceRunsATablesReencryptionAtATime() throws Exception {
    MemoryBackend memory = new MemoryBackend();
    try (Coffer a = open(memory);
        Coffer b = open(memory)) {
      Table ta = events(a);
      for (int i = 0; i < 40; i++) {
        ta.putItem(item("p" + (i % 4), i, "v"));
      }
      ta.rotateDataKey();
      Thread.sleep(150);
      Table tb = b.table("events");
      ReencryptResult[] inB = new ReencryptResult[1];
      AtomicBoolean once = new AtomicBoolean();
      // while a's job runs (its listener), b asks for the same job: the lease sends it back at once
      ReencryptResult inA =
          ta.reencrypt(
              ReencryptOptions.builder()
                  .listener(
                      p -> {
                        if (once.compareAndSet(false, true)) {
                          inB[0] = tb.reencrypt(ReencryptOptions.defaults());
                        }
                      })
                  .build());
      assertThat(inA.finished()).isTrue();
      assertThat(inB[0].finished()).isFalse();
      assertThat(inB[0].pagesResealed()).isZero();
      assertThat(tb.reencrypt(ReencryptOptions.defaults()).finished())
          .isTrue(); // nothing left to do
    }
  }

  @Test
  void replacedNodesAreDeletedAfterTheGracePeriodAndCollectGarbageRemovesWhatACrashLeft()
      throws Exception {
    MemoryBackend memory = new MemoryBackend();
    try (Coffer a = open(memory)) {
      Table t = events(a);
      for (int i = 0; i < 60; i++) {
        t.putItem(item("p", i, "v" + i));
      }
      Thread.sleep(400);
      assertThat(a.pageCacheStats()).isNotNull();
      long nodes = memory.all().stream().filter(r -> r.partitionKey().length == 20).count();
      // a writer that dies after writing a new node, before its root swap: the node stays behind
      Thread dies =
          new Thread(
              () -> {
                try {
                  t.putItem(item("p", 1000, "lost"));
                } catch (StorageException expected) {
                  // the new leaf made it; the swap did not
                }
              },
              "dies");
      memory.crashAfter(op -> op.equals("put") && Thread.currentThread().getName().equals("dies"));
      dies.start();
      dies.join();
      memory.crashAfter(op -> false);
      assertThat(memory.all().stream().filter(r -> r.partitionKey().length == 20).count())
          .isGreaterThan(nodes);
      Thread.sleep(150);
      CollectedGarbage g = a.collectGarbage();
      assertThat(g.nodesDeleted()).isPositive();
      assertThat(memory.all().stream().filter(r -> r.partitionKey().length == 20).count())
          .isEqualTo(nodes);
      assertThat(t.query(Query.partition("p")).items()).hasSize(60);
    }
  }

  @Test
  void aDroppedTablesStragglersAndAMissingIndexEntryAreRepairedByCollectGarbage() throws Exception {
    MemoryBackend memory = new MemoryBackend();
    try (Coffer a = open(memory)) {
      Table t =
          a.createTable(
              TableSpec.builder().name("single").partitionKey("pk", AttributeType.S).build());
      t.putItem(Item.builder().string("pk", "k1").string("v", "one").build());
      // a root without its index entry, as a blind put of an earlier version could leave it when
      // it died between the two (the root went first then; now the entry does)
      BackendRecord index =
          memory.all().stream().filter(r -> r.partitionKey().length == 5).findFirst().orElseThrow();
      memory.rawPut(index.partitionKey(), index.sortKey(), null, 0);
      assertThat(t.scan(Scan.all()).items()).isEmpty();
      // a record of a table that no longer exists
      memory.rawPut(new byte[20], new byte[8], new byte[] {0x0a, 0}, 1);
      CollectedGarbage g = a.collectGarbage();
      assertThat(g.indexEntriesAdded()).isEqualTo(1);
      assertThat(g.strayRecordsDeleted()).isEqualTo(1);
      assertThat(t.scan(Scan.all()).items()).hasSize(1);
    }
  }
}
