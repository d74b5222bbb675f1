package dev.coffer.kms.boundary;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.coffer.kms.boundary.fixture.ReachesIntoInternal;
import org.junit.jupiter.api.Test;

/**
 * The boundary of {@code coffer-kms-provider}: its {@code internal} package is used only by its own
 * packages. Checked here, where both key-provider modules are on the class path (production and
 * test classes alike), with ArchUnit; docs/design.md says why not JPMS.
 */
class KmsBoundaryTest {
  /** The packages of the coffer-kms-provider module (main and test jar). */
  static final String[] PROVIDER_PACKAGES = {
    "dev.coffer.kms",
    "dev.coffer.kms.audit..",
    "dev.coffer.kms.internal..",
    "dev.coffer.kms.local..",
    "dev.coffer.kms.memory..",
    "dev.coffer.kms.contract.."
  };

  private static final String API_PACKAGES_ONLY = "dev.coffer.kms.internal..";

  /** No class outside kms-provider's packages depends on a class of dev.coffer.kms.internal. */
  static final ArchRule NO_INTERNAL_OUTSIDE =
      noClasses()
          .that()
          .resideOutsideOfPackages(PROVIDER_PACKAGES)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(API_PACKAGES_ONLY)
          .because(
              "dev.coffer.kms.internal is not API: use dev.coffer.kms (ManagedKeyProvider, KeyManagement)");

  /** No public class of kms-provider's API packages extends or implements an internal type. */
  static final ArchRule API_TYPES_STAND_ALONE =
      noClasses()
          .that()
          .arePublic()
          .and()
          .resideInAnyPackage(
              "dev.coffer.kms",
              "dev.coffer.kms.audit..",
              "dev.coffer.kms.local..",
              "dev.coffer.kms.memory..")
          .should()
          .beAssignableTo(
              DescribedPredicate.describe(
                  "an internal type",
                  (JavaClass c) -> c.getPackageName().startsWith("dev.coffer.kms.internal")))
          .because("a public type that extends an internal one makes the internal type API");

  private static JavaClasses everything() {
    return new ClassFileImporter()
        .withImportOption(KmsBoundaryTest::notTheFixture)
        .importPackages("dev.coffer");
  }

  private static boolean notTheFixture(Location location) {
    return !location.contains("/dev/coffer/kms/boundary/fixture/");
  }

  @Test
  void nothingOutsideKmsProviderUsesItsInternalPackage() {
    JavaClasses classes = everything();
    assertThat(
            classes.stream().filter(c -> c.getPackageName().startsWith("dev.coffer.kms.endpoint")))
        .as("the endpoint's classes were imported")
        .isNotEmpty();
    NO_INTERNAL_OUTSIDE.check(classes);
  }

  @Test
  void publicProvidersDoNotExtendInternalClasses() {
    JavaClasses classes = everything();
    assertThat(classes.stream().filter(c -> c.getSimpleName().equals("LocalKeyProvider")))
        .isNotEmpty();
    API_TYPES_STAND_ALONE.check(classes);
  }

  @Test
  void theRuleCatchesAForbiddenImport() {
    JavaClasses fixture =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importClasses(ReachesIntoInternal.class);
    EvaluationResult result = NO_INTERNAL_OUTSIDE.evaluate(fixture);
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString())
        .contains(ReachesIntoInternal.class.getName())
        .contains("dev.coffer.kms.internal.Arns");
  }
}
