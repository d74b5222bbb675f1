package dev.coffer.store.dynamodb;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The DynamoDB backend plugs in through the public SPI ({@code dev.coffer.spi}) and the engine's
 * API ({@code dev.coffer}) only: it never uses the engine's internals (which EngineArchitectureTest
 * keeps out of both public packages).
 */
class BackendModuleArchitectureTest {
  private static final JavaClasses MODULE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPath(Path.of("target/classes"));

  @Test
  void theBackendUsesTheSpiNotTheEnginesInternals() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.coffer.internal..")
        .because(
            "a record backend implements dev.coffer.spi; the engine's internals may change in any release")
        .check(MODULE);
  }
}
