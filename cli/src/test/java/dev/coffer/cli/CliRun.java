package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs {@code coffer} in-process against one shared in-memory provider (each {@code --principal}
 * gets a view of the same keys), with an injected environment that names {@code memory:}.
 */
public final class CliRun {
  private static final ObjectMapper JSON = new ObjectMapper();

  public final InMemoryKeyProvider provider =
      InMemoryKeyProvider.builder().auditSink(AuditSink.none()).build();

  {
    // Every principal of the account may use the account-level actions (the IAM side of the key
    // policies); what each may do with a key is still up to its key policy.
    provider.putAccountPolicy(
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \""
            + provider.accountId()
            + "\"}, \"Action\": [\"kms:CreateKey\", \"kms:ListKeys\", \"kms:ListAliases\","
            + " \"kms:CreateAlias\", \"kms:UpdateAlias\", \"kms:DeleteAlias\"], \"Resource\": \"*\"}]}");
  }

  public final Map<String, String> env = new HashMap<>(Map.of("COFFER_KEY_PROVIDER", "memory:"));
  public PassphrasePrompt prompt = PassphrasePrompt.none();
  public KeyProviderOpener opener =
      (uri, context) ->
          context.principal() == null ? provider : provider.asPrincipal(context.principal());

  /** What one run printed and returned. */
  public record Result(int exitCode, String out, String err) {
    /** stdout as JSON. */
    public JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (JsonProcessingException e) {
        throw new AssertionError("not JSON: " + out, e);
      }
    }

    /** Asserts exit 0 and nothing on stderr; returns this. */
    public Result ok() {
      assertThat(err).as("stderr").isEmpty();
      assertThat(exitCode).as("exit code, stderr: " + err).isZero();
      return this;
    }

    /**
     * Asserts the exit code, nothing on stdout and exactly one line on stderr; returns that line.
     */
    public String failsWith(int code) {
      assertThat(exitCode).as("exit code, stdout: " + out).isEqualTo(code);
      assertThat(out).isEmpty();
      assertThat(err).endsWith(System.lineSeparator());
      assertThat(err.strip().lines()).as("stderr: " + err).hasSize(1);
      return err.strip();
    }
  }

  public Result run(String... args) {
    CommandLine cmd =
        Main.newCommandLine(
            CliEnvironment.builder().variables(env::get).opener(opener).prompt(prompt).build());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Creates a key through the command line; returns its key id. */
  public String createKey(String description) {
    return run("kms", "create-key", "--description", description)
        .ok()
        .json()
        .at("/KeyMetadata/KeyId")
        .asText();
  }
}
