package dev.coffer.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Item;
import dev.coffer.Page;
import dev.coffer.Query;
import dev.coffer.Scan;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.local.LocalKeyProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The parent's side of the multi-writer tests: a keystore every JVM opens, a store in a fresh
 * DynamoDB table of this JVM's dynalite with a table {@code shared} (small pages, so writes split),
 * {@link WriterChild} JVMs, and the reference the acknowledged writes make.
 */
final class Writers {
  static final String ALIAS = "alias/writers";

  final Path keystore;
  final String ddbTable = LocalDynamo.freshTable("writers");
  final DynamoDbClient client = LocalDynamo.client(null);
  private final Path tmp;
  private final byte[] rawKey = new byte[32];

  Writers(Path tmp) {
    this.tmp = tmp;
    this.keystore = tmp.resolve("keystore");
    new SecureRandom().nextBytes(rawKey);
    try (LocalKeyProvider p = provider()) {
      p.createAlias(ALIAS, p.createKey(CreateKeyRequest.withDescription("writers")).keyId());
    }
  }

  LocalKeyProvider provider() {
    return LocalKeyProvider.builder()
        .keystore(keystore)
        .rawKey(SecretBytes.wrap(rawKey.clone()))
        .auditSink(AuditSink.none())
        .build();
  }

  /** Options of the parent's own opens. */
  CofferOptions.Builder options(LocalKeyProvider provider) {
    return CofferOptions.builder()
        .keyProvider(provider)
        .masterKeyId(ALIAS)
        .auditSink(AuditSink.none())
        .accessCheckInterval(Duration.ofSeconds(1))
        .backend(DynamoDbBackend.builder().client(client).tableName(ddbTable).build());
  }

  /** Creates the store and its table {@code shared}. */
  void createStore() {
    createStore(
        TableSpec.builder()
            .name("shared")
            .partitionKey("pk", AttributeType.S)
            .sortKey("sk", AttributeType.N)
            .pageTargetBytes(400)
            .build());
  }

  /** Creates the store and the table {@code spec}. */
  void createStore(TableSpec spec) {
    try (LocalKeyProvider p = provider();
        Coffer c = Coffer.open(options(p).build())) {
      c.createTable(spec);
    }
  }

  /** A running writer JVM. */
  final class Child {
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private final Path stderr;

    Child(Process process, Path stderr) {
      this.process = process;
      this.stderr = stderr;
      this.reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                  }
                } catch (IOException e) {
                  lines.add("READ FAILED " + e);
                }
              });
      reader.start();
    }

    /** Lets the writer go (it waits after READY). */
    void go() throws IOException {
      process.getOutputStream().write("GO\n".getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    }

    /** The root swaps and conditional writes it lost and retried (from its CONFLICTS line). */
    long conflicts() {
      return lines.stream()
          .filter(l -> l.startsWith("CONFLICTS "))
          .mapToLong(l -> Long.parseLong(l.substring(10)))
          .sum();
    }

    void await(Predicate<List<String>> done, int seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (!done.test(lines) && process.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(done.test(lines))
          .as(() -> "child output ends " + tail() + "; stderr " + stderr())
          .isTrue();
    }

    /** Waits for the child to end by itself; its complete output. */
    List<String> finish(int seconds) throws InterruptedException {
      assertThat(process.waitFor(seconds, TimeUnit.SECONDS))
          .as(() -> "child ended; stderr " + stderr())
          .isTrue();
      reader.join(10_000);
      assertThat(process.exitValue()).as(() -> "child exit; stderr " + stderr()).isZero();
      return new ArrayList<>(lines);
    }

    /** SIGKILL; the complete lines it printed (a line cut by the kill dropped). */
    List<String> kill() throws InterruptedException {
      process.toHandle().destroyForcibly();
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
      reader.join(10_000);
      List<String> out = new ArrayList<>(lines);
      if (!out.isEmpty()
          && out.get(out.size() - 1).startsWith("ACK ")
          && out.get(out.size() - 1).split(" ").length < 4) {
        out.remove(out.size() - 1);
      }
      return out;
    }

    private List<String> tail() {
      return lines.subList(Math.max(0, lines.size() - 5), lines.size());
    }

    String stderr() {
      try {
        String s = Files.readString(stderr);
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
      } catch (IOException e) {
        return "(none)";
      }
    }
  }

  /** Starts writer {@code writer} in {@code mode}; returns once it has the store open. */
  Child start(String mode, int writer, int partitions, int ops, long seed)
      throws IOException, InterruptedException {
    return start(WriterChild.class, mode, writer, partitions, ops, seed);
  }

  /**
   * Starts writer {@code writer} of class {@code main} (its arguments as {@link WriterChild}'s) in
   * {@code mode}; returns once it has the store open.
   */
  Child start(Class<?> main, String mode, int writer, int partitions, int ops, long seed)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path err = tmp.resolve("writer-" + writer + ".err");
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx128m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            main.getName(),
            mode,
            LocalDynamo.dynalite().endpoint().toString(),
            ddbTable,
            keystore.toString(),
            Base64.getEncoder().encodeToString(rawKey),
            ALIAS,
            Integer.toString(writer),
            Integer.toString(partitions),
            Integer.toString(ops),
            Long.toString(seed));
    pb.redirectError(err.toFile());
    Child c = new Child(pb.start(), err);
    c.await(l -> l.contains("READY") || l.stream().anyMatch(x -> x.startsWith("BAD")), 120);
    return c;
  }

  /** The reference: applies every child's acknowledged writes (each writer owns its sort keys). */
  static Map<String, String> reference(List<List<String>> outputs) {
    Map<String, String> ref = new TreeMap<>();
    Map<String, Long> counters = new TreeMap<>();
    for (List<String> lines : outputs) {
      for (String l : lines) {
        assertThat(l).as("a writer read back what it wrote").doesNotStartWith("BAD");
        String[] p = l.split(" ");
        if (l.startsWith("ACK put ")) {
          ref.put(p[2] + " " + p[3], p[4]);
        } else if (l.startsWith("ACK del ")) {
          ref.remove(p[2] + " " + p[3]);
        } else if (l.startsWith("ACK inc ")) {
          counters.merge(p[2] + " " + WriterChild.COUNTER, 1L, Long::sum);
        } else if (l.startsWith("ACK cput ")) {
          assertThat(ref.put(p[2] + " " + p[3], p[4]))
              .as("a second winner of the conditional put of " + p[2] + " " + p[3])
              .isNull();
        }
      }
    }
    counters.forEach((k, n) -> ref.put(k, "count:" + n));
    return ref;
  }

  /** An item's tag, or a counter's count as {@code count:<n>}. */
  private static String tag(Item i) {
    return i.get("tag") != null ? i.get("tag").s() : "count:" + i.get("n").n();
  }

  /**
   * What the store holds in {@code shared}, as "pk sk" -> tag, read by Query per partition and
   * checked against Scan.
   */
  static Map<String, String> contents(Table t, int partitions) {
    Map<String, String> byQuery = new TreeMap<>();
    for (int p = 0; p < partitions; p++) {
      Query q = Query.partition("P" + p).limit(37);
      while (true) {
        Page page = t.query(q);
        for (Item i : page.items()) {
          byQuery.put(i.get("pk").s() + " " + i.get("sk").n(), tag(i));
        }
        if (page.lastEvaluatedKey().isEmpty()) {
          break;
        }
        q = q.exclusiveStartKey(page.lastEvaluatedKey().get());
      }
    }
    Map<String, String> byScan = new TreeMap<>();
    Scan s = Scan.all().limit(50);
    while (true) {
      Page page = t.scan(s);
      for (Item i : page.items()) {
        byScan.put(i.get("pk").s() + " " + i.get("sk").n(), tag(i));
      }
      if (page.lastEvaluatedKey().isEmpty()) {
        break;
      }
      s = s.exclusiveStartKey(page.lastEvaluatedKey().get());
    }
    assertThat(byScan).isEqualTo(byQuery);
    return byQuery;
  }

  static AttributeValue n(String s) {
    return AttributeValue.n(s);
  }
}
