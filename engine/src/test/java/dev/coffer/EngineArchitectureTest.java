package dev.coffer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.PackageMatcher;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The engine's boundaries, enforced on its compiled classes (ArchUnit; JPMS was not practical, see
 * docs/design.md): the public API exposes no internal type; only the record layer touches RocksDB,
 * the cipher, the associated data, the nonces, the key layout and the framing of records; and the
 * internal packages depend on each other in one direction only.
 */
class EngineArchitectureTest {
  private static final String INTERNAL = "dev.coffer.internal..";
  private static final String RECORD = "dev.coffer.internal.record..";

  /**
   * The engine's main classes (the module's own output folder; the build runs tests from the
   * module).
   */
  private static final JavaClasses ENGINE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPath(Path.of("target/classes"));

  /** Engine classes only. */
  private static final DescribedPredicate<JavaClass> ENGINE_CLASS =
      new DescribedPredicate<>("engine classes") {
        @Override
        public boolean test(JavaClass c) {
          return c.getPackageName().equals("dev.coffer")
              || c.getPackageName().equals("dev.coffer.spi")
              || c.getPackageName().startsWith("dev.coffer.internal");
        }
      };

  private static void check(ArchRule rule) {
    rule.check(ENGINE);
  }

  @Test
  void thePublicApiExposesNoInternalType() {
    check(
        classes()
            .that()
            .resideInAPackage("dev.coffer")
            .and()
            .arePublic()
            .should(exposeNoTypeFrom(INTERNAL))
            .because(
                "dev.coffer is the engine's API: an internal type in a public signature would make it API"));
  }

  @Test
  void theBackendSpiIsPublicApiOverNothingInternal() {
    check(
        classes()
            .that()
            .resideInAPackage("dev.coffer.spi")
            .and()
            .arePublic()
            .should(exposeNoTypeFrom(INTERNAL))
            .because("dev.coffer.spi is the API record backends implement (docs/scale-out.md)"));
    check(
        noClasses()
            .that()
            .resideInAPackage("dev.coffer.spi")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(INTERNAL)
            .because(
                "a backend module sees the SPI and the engine's API only, never its internals"));
    check(
        noClasses()
            .that(ENGINE_CLASS)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("software.amazon..")
            .because(
                "the AWS SDK lives only in the optional coffer-store-dynamodb (and kms-provider-aws)"));
  }

  @Test
  void onlyTheRecordLayerUsesRocksDb() {
    check(
        noClasses()
            .that(ENGINE_CLASS)
            .and()
            .resideOutsideOfPackage(RECORD)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.rocksdb..")
            .because(
                "the record layer's backend (RecordStore) is the one place that knows the storage engine"));
  }

  @Test
  void onlyTheRecordLayerSealsOpensKeysAndFramesRecords() {
    check(
        noClasses()
            .that(ENGINE_CLASS)
            .and()
            .resideOutsideOfPackage(RECORD)
            .should()
            .dependOnClassesThat()
            .haveFullyQualifiedName("dev.coffer.internal.record.PageCipher")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("javax.crypto.Cipher")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("javax.crypto.spec.GCMParameterSpec")
            .because(
                "how a record is keyed, bound, given its nonce, framed and sealed is decided in"
                    + " dev.coffer.internal.record alone (docs/design.md)"));
    // The other deciding classes are package-private, so the compiler already keeps them inside.
    check(
        classes()
            .that()
            .haveFullyQualifiedName("dev.coffer.internal.record.RecordKeys")
            .or()
            .haveFullyQualifiedName("dev.coffer.internal.record.AssociatedData")
            .or()
            .haveFullyQualifiedName("dev.coffer.internal.record.NonceSource")
            .or()
            .haveFullyQualifiedName("dev.coffer.internal.record.RecordFormat")
            .or()
            .haveFullyQualifiedName("dev.coffer.internal.record.RocksStore")
            .should()
            .notBePublic());
  }

  @Test
  void theLayersDependDownwardsOnly() {
    layer("record", "catalog", "partition", "query", "txn", "lifecycle", "verify");
    layer("keys", "record", "catalog", "partition", "query", "txn", "lifecycle", "verify");
    layer("model", "keys", "record", "catalog", "partition", "query", "txn", "lifecycle", "verify");
    layer(
        "expression",
        "keys",
        "record",
        "catalog",
        "partition",
        "query",
        "txn",
        "lifecycle",
        "verify");
    layer("catalog", "partition", "query", "txn", "lifecycle", "verify");
    layer("partition", "query", "txn", "lifecycle", "verify");
    layer("query", "txn", "lifecycle", "verify");
    layer("txn", "lifecycle", "verify");
    layer("verify", "query", "txn", "lifecycle");
    layer("lifecycle", "query", "txn", "verify");
    check(slices().matching("dev.coffer.internal.(*)..").should().beFreeOfCycles());
  }

  /** Classes of {@code internal.<from>} depend on none of {@code internal.<above>...}. */
  private static void layer(String from, String... above) {
    String[] packages = new String[above.length];
    for (int i = 0; i < above.length; i++) {
      packages[i] = "dev.coffer.internal." + above[i] + "..";
    }
    check(
        noClasses()
            .that()
            .resideInAPackage("dev.coffer.internal." + from + "..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(packages)
            .because("docs/design.md: who may call whom"));
  }

  /** A public class whose public or protected members name no type of {@code packagePattern}. */
  static ArchCondition<JavaClass> exposeNoTypeFrom(String packagePattern) {
    return new ArchCondition<>("expose no type of " + packagePattern + " in a public signature") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        for (JavaCodeUnit unit : c.getCodeUnits()) {
          if (!visible(unit.getModifiers())) {
            continue;
          }
          Set<JavaClass> named = new HashSet<>(unit.getReturnType().getAllInvolvedRawTypes());
          unit.getParameterTypes().forEach(p -> named.addAll(p.getAllInvolvedRawTypes()));
          unit.getExceptionTypes().forEach(named::add);
          report(c, unit.getFullName(), named, events);
        }
        for (JavaField f : c.getFields()) {
          if (visible(f.getModifiers())) {
            report(c, f.getFullName(), f.getType().getAllInvolvedRawTypes(), events);
          }
        }
      }

      private boolean visible(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC)
            || modifiers.contains(JavaModifier.PROTECTED);
      }

      private void report(
          JavaClass c, String member, Set<JavaClass> types, ConditionEvents events) {
        for (JavaClass t : types) {
          if (PackageMatcher.of(packagePattern).matches(t.getPackageName())) {
            events.add(SimpleConditionEvent.violated(c, member + " exposes " + t.getName()));
          }
        }
      }
    };
  }
}
