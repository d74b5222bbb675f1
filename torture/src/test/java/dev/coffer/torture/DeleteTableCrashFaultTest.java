package dev.coffer.torture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.kms.audit.AuditOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A DeleteTable interrupted by a crash between its two steps (keys destroyed and synced; column
 * family not yet dropped), then reopened while KMS fails: the k-th Decrypt of the open (the store
 * key, then every table's keys) hits a throttling, timeout, dropped-connection or AccessDenied
 * fault that lasts. The open must fail cleanly with the provider's exception (or, when the
 * unfinished deletion came before the fault, finish it first); the first open after the fault
 * clears must succeed with the deletion finished, exactly one "resumed at open" audit record over
 * both opens, and every other table intact.
 */
class DeleteTableCrashFaultTest {
  @TempDir static Path tmp;

  private static AwsKmsRig rig;
  private static FaultFixture fixture;
  private static Path crashed;
  private static int decryptsPerOpen;

  @BeforeAll
  static void crashInTheMiddleOfDeleteTable() throws Exception {
    rig = new AwsKmsRig();
    crashed = tmp.resolve("crashed");
    try (Coffer c =
        rig.open(crashed, rig.keyA, CofferOptions.DEFAULT_ACCESS_CHECK_INTERVAL, new AuditLog())) {
      fixture = FaultFixture.populate(c);
    }
    ChildJvm jvm = ChildJvm.in(tmp.resolve("jvm"));
    ChildProcess child =
        ChildProcess.start(
            DeleteTableCrashChild.class.getName(),
            jvm.options(),
            List.of(
                crashed.toString(),
                rig.endpoint.endpointUri().toString(),
                rig.keyA,
                FaultFixture.VICTIM.name()),
            Map.of(),
            tmp.resolve("child.err"));
    assertThat(child.awaitExit(120_000)).as("the child halted itself").isTrue();
    assertThat(child.lines())
        .as("stderr: " + child.stderrTail(2000))
        .containsExactly("OPEN", "STEP1");
    assertThat(child.exitCode()).isEqualTo(9);
    jvm.cleanTemporaryFiles();
    fixture.dropped(FaultFixture.VICTIM.name());

    Path probe = copy("probe");
    long before = rig.provider.calls("kms:Decrypt");
    AuditLog audit = new AuditLog();
    try (Coffer c = rig.open(probe, rig.keyA, CofferOptions.DEFAULT_ACCESS_CHECK_INTERVAL, audit)) {
      assertThat(c.listTables()).doesNotContain(FaultFixture.VICTIM.name());
    }
    decryptsPerOpen = (int) (rig.provider.calls("kms:Decrypt") - before);
    assertThat(audit.find("coffer:DeleteTable", AuditOutcome.SUCCESS))
        .anyMatch(r -> r.message().contains("resumed at open"));
  }

  @AfterAll
  static void stop() throws IOException {
    rig.close();
  }

  @ParameterizedTest
  @EnumSource(NetworkFault.class)
  void aFaultAtAnyDecryptOfTheReopenFailsItCleanlyAndTheNextOpenFinishesTheDeletion(
      NetworkFault fault) throws IOException {
    assertThat(decryptsPerOpen).as("store key, then 2 + 2 + 3 table keys").isEqualTo(8);
    for (int k = 1; k <= decryptsPerOpen; k++) {
      Path dir = copy(fault + "-" + k);
      AuditLog audit = new AuditLog();
      rig.provider.armAt("kms:Decrypt", k, () -> fault.persistent(rig, "kms:Decrypt"));
      assertThatThrownBy(
              () -> rig.open(dir, rig.keyA, CofferOptions.DEFAULT_ACCESS_CHECK_INTERVAL, audit))
          .as("fault at Decrypt %d of %d", k, decryptsPerOpen)
          .isInstanceOf(fault.exception);
      rig.heal();
      try (Coffer c = rig.open(dir, rig.keyA, CofferOptions.DEFAULT_ACCESS_CHECK_INTERVAL, audit)) {
        assertThat(c.listTables()).doesNotContain(FaultFixture.VICTIM.name());
        fixture.assertAllReadable(c);
      }
      assertThat(audit.find("coffer:DeleteTable", AuditOutcome.SUCCESS))
          .filteredOn(r -> r.message().contains("resumed at open"))
          .as("fault at Decrypt %d", k)
          .hasSize(1);
    }
  }

  private static Path copy(String name) throws IOException {
    Path to = tmp.resolve(name);
    try (Stream<Path> files = Files.walk(crashed)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(crashed.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }
}
