package dev.coffer.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The command line uses the engine through its public API only ({@code dev.coffer}), never its
 * internals.
 */
class CliArchitectureTest {
  private static final JavaClasses CLI =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPath(Path.of("target/classes"));

  @Test
  void theCommandLineDoesNotUseTheEnginesInternals() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.coffer.internal..")
        .because("the engine's API is dev.coffer; its internal packages may change in any release")
        .check(CLI);
  }
}
