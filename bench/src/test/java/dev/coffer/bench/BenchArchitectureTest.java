package dev.coffer.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks use the engine through its public API, with two exceptions, each for a reason:
 *
 * <ul>
 *   <li>{@code CofferPageSealer} uses the page cipher ({@code internal.record.PageCipher}) and its
 *       key holder ({@code internal.keys.AeadKey}): the cipher benchmark measures exactly the
 *       engine's seal and open against bare JDK AES-GCM, which no public operation isolates.
 *   <li>{@code BenchData} uses the item codec ({@code internal.model.ItemCodec}): the plain-RocksDB
 *       baseline stores the same bytes for an item as the engine does, so that the comparison is
 *       fair.
 * </ul>
 *
 * Anything else fails the build.
 */
class BenchArchitectureTest {
  private static final JavaClasses BENCH = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPath(Path.of("target/classes"));

  /** Origin class (outer class name) to the internal classes it may use. */
  private static final Map<String, Set<String>> ALLOWED = Map.of(
      "dev.coffer.bench.CofferPageSealer",
      Set.of("dev.coffer.internal.record.PageCipher", "dev.coffer.internal.keys.AeadKey"),
      "dev.coffer.bench.BenchData", Set.of("dev.coffer.internal.model.ItemCodec"));

  private static final DescribedPredicate<Dependency> FORBIDDEN =
      new DescribedPredicate<>("target an engine-internal class other than the two allowed uses") {
        @Override
        public boolean test(Dependency d) {
          String target = d.getTargetClass().getName();
          if (!target.startsWith("dev.coffer.internal.")) {
            return false;
          }
          String origin = d.getOriginClass().getName().replaceFirst("\\$.*", "");
          return !ALLOWED.getOrDefault(origin, Set.of()).contains(target.replaceFirst("\\$.*", ""));
        }
      };

  @Test
  void theBenchmarksUseTheEnginesInternalsOnlyWhereAllowed() {
    noClasses().should(ArchConditions.haveAnyDependenciesThat(FORBIDDEN))
        .because("the engine's API is dev.coffer; see the class comment for the two allowed uses")
        .check(BENCH);
  }
}
