package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code --output} and {@code --query} through the whole command line, before or after the
 * subcommand.
 */
class OutputOptionsTest {
  private final CliRun cli = new CliRun();

  @Test
  void jsonIsTheDefault() {
    String keyId = cli.createKey("k");

    assertThat(cli.run("kms", "rotate-key-on-demand", "--key-id", keyId).ok().out())
        .isEqualTo("{\n    \"KeyId\": \"" + keyId + "\"\n}" + System.lineSeparator());
    assertThat(cli.run("kms", "list-aliases").ok().out())
        .isEqualTo("{\n    \"Aliases\": []\n}" + System.lineSeparator());
  }

  @Test
  void textAndTableBeforeOrAfterTheCommand() {
    String keyId = cli.createKey("k");
    String arn = "arn:aws:kms:us-east-1:111122223333:key/" + keyId;

    assertThat(cli.run("--output", "text", "kms", "list-keys").ok().out())
        .isEqualTo("KEYS\t" + arn + "\t" + keyId + "\n");
    assertThat(cli.run("kms", "list-keys", "--output", "text").ok().out())
        .isEqualTo("KEYS\t" + arn + "\t" + keyId + "\n");

    String table = cli.run("kms", "--output", "table", "list-keys").ok().out();
    assertThat(table)
        .contains("ListKeys")
        .contains("||  KeyArn|  " + arn)
        .contains("||  KeyId |  " + keyId);
  }

  @Test
  void queryPicksFromTheJsonBeforeFormatting() {
    String a = cli.createKey("a");
    String b = cli.createKey("b");

    assertThat(
            cli.run("kms", "list-keys", "--query", "Keys[].KeyId", "--output", "text").ok().out())
        .isEqualTo(a + "\t" + b + "\n");
    assertThat(cli.run("kms", "list-keys", "--query", "length(Keys)").ok().out())
        .isEqualTo("2" + System.lineSeparator());
    assertThat(
            cli.run(
                    "kms",
                    "describe-key",
                    "--key-id",
                    a,
                    "--query",
                    "KeyMetadata.{Id: KeyId, State: KeyState}")
                .ok()
                .json()
                .get("State")
                .asText())
        .isEqualTo("Enabled");
  }

  @Test
  void aBadQueryIsUsageAndTheOperationDoesNotRun() {
    assertThat(cli.run("kms", "create-key", "--query", "Keys[").failsWith(2))
        .startsWith("Bad value for --query Keys[: ");
    assertThat(cli.provider.listKeys()).isEmpty();
  }

  @Test
  void aBadOutputIsUsage() {
    assertThat(cli.run("kms", "list-keys", "--output", "yaml").failsWith(2))
        .contains("Invalid output format 'yaml': expected json, text or table");
  }
}
