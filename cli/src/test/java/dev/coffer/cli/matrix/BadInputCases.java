package dev.coffer.cli.matrix;

import static dev.coffer.cli.matrix.BadInputMatrixTest.env;
import static dev.coffer.cli.matrix.BadInputMatrixTest.json;
import static dev.coffer.cli.matrix.BadInputMatrixTest.write;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The cases of {@link BadInputMatrixTest}, as a table: one line per case with its name, the exit
 * code, a fragment of the one error line that names the problem, and the arguments (and, for a few,
 * the environment). Successful writes ({@link #put}, {@link #delete}) sit between the cases and say
 * what they add to the reference the store is checked against at the end.
 *
 * <p>This file is long on purpose: it is the table, one case per line, grouped by command family.
 */
final class BadInputCases {
  static final int FAILED = 1;
  static final int USAGE = 2;

  /** A table of the matrix's store. */
  record Table(String name, String partitionKey, String sortKey) {}

  /**
   * One step: a bad input ({@code good} null: it must fail with {@code exit} and a line containing
   * {@code fragment}) or a successful write ({@code good} updates the reference).
   */
  record Step(
      String name,
      Map<String, String> env,
      List<String> args,
      int exit,
      String fragment,
      Consumer<Map<String, Map<String, JsonNode>>> good,
      boolean lockStore) {}

  private final CliRun cli;
  private final Path dir;
  private final String master;
  private final List<Step> steps = new ArrayList<>();
  private String otherKey;
  private String disabledKey;
  private String ciphertext;
  private Path keystore;

  BadInputCases(CliRun cli, Path dir, String master) {
    this.cli = cli;
    this.dir = dir;
    this.master = master;
  }

  List<Table> tables() {
    return List.of(
        new Table("Music", "Artist", "SongTitle"),
        new Table("Numbers", "id", null),
        new Table("Bin", "pk", "sk"));
  }

  Path storeDir() {
    return Path.of(cli.env.get("COFFER_STORE"));
  }

  long badCount() {
    return steps.stream().filter(s -> s.good() == null).count();
  }

  /** The key of {@code item} in {@code table}, as text. */
  static String keyOf(JsonNode item, Table table) {
    return item.get(table.partitionKey())
        + (table.sortKey() == null ? "" : " " + item.get(table.sortKey()));
  }

  /** The tables, keys and files the cases use. */
  void setUp() throws Exception {
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "Music",
            "--attribute-definitions",
            "AttributeName=Artist,AttributeType=S",
            "AttributeName=SongTitle,AttributeType=S",
            "--key-schema",
            "AttributeName=Artist,KeyType=HASH",
            "AttributeName=SongTitle,KeyType=RANGE")
        .ok();
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "Numbers",
            "--attribute-definitions",
            "AttributeName=id,AttributeType=N",
            "--key-schema",
            "AttributeName=id,KeyType=HASH")
        .ok();
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "Bin",
            "--attribute-definitions",
            "AttributeName=pk,AttributeType=B",
            "AttributeName=sk,AttributeType=N",
            "--key-schema",
            "AttributeName=pk,KeyType=HASH",
            "AttributeName=sk,KeyType=RANGE")
        .ok();
    otherKey = cli.createKey("another key");
    disabledKey = cli.createKey("a disabled key");
    cli.run("kms", "disable-key", "--key-id", disabledKey).ok();
    cli.run("kms", "create-alias", "--alias-name", "alias/matrix", "--target-key-id", otherKey)
        .ok();
    ciphertext =
        cli.run(
                "kms",
                "encrypt",
                "--key-id",
                master,
                "--plaintext",
                "aGVsbG8=",
                "--encryption-context",
                "app=matrix")
            .ok()
            .json()
            .get("CiphertextBlob")
            .asText();
    keystore = dir.resolve("keystore");
    cli.env.put("COFFER_KEYSTORE_PASSPHRASE", "right passphrase");
    cli.run("--key-provider", "local:" + keystore + "?create", "kms", "create-key").ok();
    cli.env.remove("COFFER_KEYSTORE_PASSPHRASE");
    byte[] real = Files.readAllBytes(keystore);
    Files.write(dir.resolve("truncated.keystore"), Arrays.copyOf(real, real.length / 2));
    byte[] garbled = real.clone();
    garbled[garbled.length - 1] ^= 1;
    Files.write(dir.resolve("garbled.keystore"), garbled);
    Files.write(dir.resolve("empty.keystore"), new byte[0]);
    Files.writeString(dir.resolve("text.keystore"), "this is not a keystore\n");
    Files.write(dir.resolve("unreadable.keystore"), real);
    Files.setPosixFilePermissions(
        dir.resolve("unreadable.keystore"), PosixFilePermissions.fromString("---------"));
    Files.createDirectories(dir.resolve("a-directory"));
    Files.writeString(dir.resolve("exists.jsonl"), "");
  }

  List<Step> steps() throws Exception {
    globalOptions();
    keyProviders();
    stores();
    kmsKeys();
    kmsCrypto();
    kmsAdmin();
    createTable();
    items();
    reads();
    queriesAndScans();
    batches();
    storeCommands();
    return steps;
  }

  private void globalOptions() {
    bad("unknown command", USAGE, "Unmatched argument at index 0: 'frobnicate'", "frobnicate");
    bad("unknown dynamodb command", USAGE, "Unmatched argument", "dynamodb", "frobnicate");
    bad("unknown kms command", USAGE, "Unmatched argument", "kms", "decrypt-everything");
    bad("unknown option", USAGE, "Unknown option: '--frob'", "dynamodb", "list-tables", "--frob");
    bad(
        "unknown global option",
        USAGE,
        "Unknown option: '--verbose'",
        "--verbose",
        "kms",
        "list-keys");
    bad(
        "bad --output",
        USAGE,
        "Invalid value for option '--output'",
        "--output",
        "yaml",
        "kms",
        "list-keys");
    bad(
        "--output without value",
        USAGE,
        "Missing required parameter for option '--output'",
        "kms",
        "list-keys",
        "--output");
    bad(
        "bad --query syntax",
        USAGE,
        "Bad value for --query Keys[",
        "--query",
        "Keys[",
        "kms",
        "list-keys");
    bad(
        "--query nested too deeply",
        USAGE,
        "the expression is nested too deeply",
        "--query",
        "(".repeat(3000) + "Keys" + ")".repeat(3000),
        "kms",
        "list-keys");
    bad(
        "--query function on the wrong type",
        USAGE,
        "Bad value for --query",
        "--query",
        "abs(Keys)",
        "kms",
        "list-keys");
    bad(
        "option value missing at the end",
        USAGE,
        "Missing required parameter for option '--table-name'",
        "dynamodb",
        "describe-table",
        "--table-name");
    bad("positional argument not taken", USAGE, "Unmatched argument", "kms", "list-keys", "extra");
  }

  private void keyProviders() throws Exception {
    badEnv(
        "no key provider named",
        env("COFFER_KEY_PROVIDER", null),
        USAGE,
        "No key provider",
        "kms",
        "list-keys");
    bad(
        "unknown key provider scheme",
        FAILED,
        "frob",
        "--key-provider",
        "frob:x",
        "kms",
        "list-keys");
    bad(
        "key provider URI without a scheme",
        FAILED,
        "keystore.bin",
        "--key-provider",
        "keystore.bin",
        "kms",
        "list-keys");
    bad(
        "local: keystore without any secret",
        FAILED,
        "COFFER_KEYSTORE_PASSPHRASE",
        "--key-provider",
        "local:" + keystore,
        "kms",
        "list-keys");
    badEnv(
        "local: keystore, wrong passphrase",
        env("COFFER_KEYSTORE_PASSPHRASE", "wrong passphrase"),
        FAILED,
        "passphrase",
        "--key-provider",
        "local:" + keystore,
        "kms",
        "list-keys");
    badEnv(
        "local: keystore key that is not base64",
        env("COFFER_KEYSTORE_KEY", "not base64!"),
        FAILED,
        "COFFER_KEYSTORE_KEY",
        "--key-provider",
        "local:" + dir.resolve("ks2"),
        "kms",
        "list-keys");
    badEnv(
        "local: keystore key of 5 bytes",
        env("COFFER_KEYSTORE_KEY", "AAAAAAA="),
        FAILED,
        "COFFER_KEYSTORE_KEY",
        "--key-provider",
        "local:" + dir.resolve("ks3"),
        "kms",
        "list-keys");
    badEnv(
        "local: keystore key file missing",
        env("COFFER_KEYSTORE_KEY_FILE", dir.resolve("none.key").toString()),
        FAILED,
        "none.key",
        "--key-provider",
        "local:" + dir.resolve("ks4"),
        "kms",
        "list-keys");
    badEnv(
        "local: two keystore secrets at once",
        env(
            "COFFER_KEYSTORE_PASSPHRASE",
            "a",
            "COFFER_KEYSTORE_KEY",
            Base64.getEncoder().encodeToString(new byte[32])),
        FAILED,
        "COFFER_KEYSTORE_",
        "--key-provider",
        "local:" + keystore,
        "kms",
        "list-keys");
    Map<String, String> passphrase = env("COFFER_KEYSTORE_PASSPHRASE", "right passphrase");
    badEnv(
        "local: keystore path is a directory",
        passphrase,
        FAILED,
        dir.resolve("a-directory") + ": it is a directory, not a keystore file",
        "--key-provider",
        "local:" + dir.resolve("a-directory"),
        "kms",
        "list-keys");
    badEnv(
        "local: keystore path is a directory, with ?create",
        passphrase,
        FAILED,
        "it is a directory, not a keystore file",
        "--key-provider",
        "local:" + dir.resolve("a-directory") + "?create",
        "kms",
        "list-keys");
    badEnv(
        "local: keystore whose directory is missing",
        passphrase,
        FAILED,
        "There is no keystore at " + dir.resolve("no-such-dir").resolve("keystore"),
        "--key-provider",
        "local:" + dir.resolve("no-such-dir").resolve("keystore"),
        "kms",
        "list-keys");
    badEnv(
        "local: keystore under a regular file, with ?create",
        passphrase,
        FAILED,
        dir.resolve("exists.jsonl").resolve("sub") + " is not a directory",
        "--key-provider",
        "local:" + dir.resolve("exists.jsonl").resolve("sub").resolve("keystore") + "?create",
        "kms",
        "list-keys");
    badEnv(
        "local: keystore file is empty",
        passphrase,
        FAILED,
        dir.resolve("empty.keystore") + " is empty (0 bytes)",
        "--key-provider",
        "local:" + dir.resolve("empty.keystore"),
        "kms",
        "list-keys");
    badEnv(
        "local: keystore file truncated",
        passphrase,
        FAILED,
        dir.resolve("truncated.keystore") + " is damaged, truncated or not a Coffer keystore",
        "--key-provider",
        "local:" + dir.resolve("truncated.keystore"),
        "kms",
        "list-keys");
    badEnv(
        "local: keystore file garbled",
        passphrase,
        FAILED,
        dir.resolve("garbled.keystore")
            + ": the passphrase or key is wrong, or the file was modified",
        "--key-provider",
        "local:" + dir.resolve("garbled.keystore"),
        "kms",
        "list-keys");
    badEnv(
        "local: keystore file of text",
        passphrase,
        FAILED,
        dir.resolve("text.keystore") + " is damaged, truncated or not a Coffer keystore",
        "--key-provider",
        "local:" + dir.resolve("text.keystore"),
        "kms",
        "list-keys");
    if (!Files.isReadable(
        dir.resolve("unreadable.keystore"))) { // root reads every file: no case there
      badEnv(
          "local: keystore file unreadable",
          passphrase,
          FAILED,
          "permission denied on " + dir.resolve("unreadable.keystore"),
          "--key-provider",
          "local:" + dir.resolve("unreadable.keystore"),
          "kms",
          "list-keys");
    }
    badEnv(
        "local: keystore key file is a directory",
        env("COFFER_KEYSTORE_KEY_FILE", dir.resolve("a-directory").toString()),
        FAILED,
        dir.resolve("a-directory") + " is a directory, not a file",
        "--key-provider",
        "local:" + dir.resolve("ks5"),
        "kms",
        "list-keys");
    bad(
        "aws-kms: with a malformed ARN",
        FAILED,
        "not-an-arn",
        "--key-provider",
        "aws-kms:not-an-arn",
        "kms",
        "describe-key",
        "--key-id",
        "x");
    bad(
        "principal the key policy refuses",
        FAILED,
        "AccessDeniedException",
        "--principal",
        "mallory",
        "dynamodb",
        "scan",
        "--table-name",
        "Music");
  }

  private void stores() throws Exception {
    badEnv(
        "no store named", env("COFFER_STORE", null), USAGE, "No store", "dynamodb", "list-tables");
    bad(
        "store is a file",
        FAILED,
        "No Coffer store in",
        "--store",
        dir.resolve("exists.jsonl").toString(),
        "dynamodb",
        "list-tables");
    bad(
        "store directory that does not exist",
        FAILED,
        "No Coffer store in",
        "--store",
        dir.resolve("no-store").toString(),
        "dynamodb",
        "get-item",
        "--table-name",
        "Music",
        "--key",
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}}");
    bad(
        "master key that does not exist",
        FAILED,
        "NotFoundException",
        "--master-key",
        "alias/no-such-key",
        "dynamodb",
        "list-tables");
    bad(
        "master key that is not the store's",
        FAILED,
        "IncorrectKeyException",
        "--master-key",
        otherKey,
        "dynamodb",
        "list-tables");
    bad(
        "master key given is a disabled key",
        FAILED,
        "IncorrectKeyException",
        "--master-key",
        disabledKey,
        "dynamodb",
        "list-tables");
    steps.add(
        good(
            "disable the store's master key",
            List.of("kms", "disable-key", "--key-id", master),
            ref -> {}));
    bad(
        "store whose master key is disabled",
        FAILED,
        "DisabledException",
        "dynamodb",
        "scan",
        "--table-name",
        "Music");
    bad(
        "write while the master key is disabled",
        FAILED,
        "DisabledException",
        "dynamodb",
        "put-item",
        "--table-name",
        "Numbers",
        "--item",
        "{\"id\": {\"N\": \"99\"}}");
    steps.add(
        good(
            "enable the store's master key",
            List.of("kms", "enable-key", "--key-id", master),
            ref -> {}));
    steps.add(
        good(
            "schedule the master key's deletion",
            List.of(
                "kms",
                "schedule-key-deletion",
                "--key-id",
                master,
                "--pending-window-in-days",
                "7"),
            ref -> {}));
    bad(
        "store whose master key is pending deletion",
        FAILED,
        "is pending deletion",
        "dynamodb",
        "get-item",
        "--table-name",
        "Numbers",
        "--key",
        "{\"id\": {\"N\": \"7\"}}");
    steps.add(
        good(
            "cancel the master key's deletion",
            List.of("kms", "cancel-key-deletion", "--key-id", master),
            ref -> {}));
    steps.add(
        good(
            "enable the master key again",
            List.of("kms", "enable-key", "--key-id", master),
            ref -> {}));
    steps.add(
        new Step(
            "store locked by another process",
            Map.of(),
            List.of("dynamodb", "scan", "--table-name", "Music"),
            FAILED,
            "is open in another process",
            null,
            true));
  }

  private void kmsKeys() throws Exception {
    bad(
        "describe-key without --key-id",
        USAGE,
        "Missing required option: '--key-id",
        "kms",
        "describe-key");
    bad(
        "describe-key of an unknown id",
        FAILED,
        "NotFoundException",
        "kms",
        "describe-key",
        "--key-id",
        "11111111-2222-3333-4444-555555555555");
    bad(
        "describe-key of an unknown alias",
        FAILED,
        "NotFoundException",
        "kms",
        "describe-key",
        "--key-id",
        "alias/nope");
    bad(
        "describe-key of a malformed ARN",
        FAILED,
        "arn:aws:kms:bad",
        "kms",
        "describe-key",
        "--key-id",
        "arn:aws:kms:bad");
    bad(
        "describe-key of an empty id",
        FAILED,
        "ValidationException",
        "kms",
        "describe-key",
        "--key-id",
        "");
    bad(
        "create-key policy not JSON",
        FAILED,
        "MalformedPolicyDocumentException",
        "kms",
        "create-key",
        "--policy",
        "{");
    bad(
        "create-key policy without statements",
        FAILED,
        "MalformedPolicyDocumentException",
        "kms",
        "create-key",
        "--policy",
        "{\"Version\": \"2012-10-17\", \"Statement\": []}");
    bad(
        "create-key policy from a missing file",
        USAGE,
        "Unable to load paramfile",
        "kms",
        "create-key",
        "--policy",
        "file://" + dir.resolve("missing-policy.json"));
    bad(
        "create-key tag without a value",
        USAGE,
        "TagKey=key,TagValue=value",
        "kms",
        "create-key",
        "--tags",
        "TagKey=team");
    bad(
        "create-key tag key twice",
        USAGE,
        "the tag key 'team' is given twice",
        "kms",
        "create-key",
        "--tags",
        "TagKey=team,TagValue=a",
        "TagKey=team,TagValue=b");
    bad(
        "create-key tags JSON of the wrong shape",
        USAGE,
        "each tag needs a TagKey and a TagValue",
        "kms",
        "create-key",
        "--tags",
        "[{\"TagKey\": 1, \"TagValue\": \"x\"}]");
    bad(
        "create-key description of 8193 characters",
        FAILED,
        "(ValidationException) when calling the CreateKey operation: 1 validation error detected: Value at"
            + " 'description' failed to satisfy constraint: Member must have length less than or equal to 8192",
        "kms",
        "create-key",
        "--description",
        "d".repeat(8193));
    bad(
        "create-key description of 8193 characters, with tags",
        FAILED,
        "Member must have length less than or equal to 8192",
        "kms",
        "create-key",
        "--description",
        "\u20ac".repeat(8193),
        "--tags",
        "TagKey=team,TagValue=a");
    bad(
        "enable-key of an unknown key",
        FAILED,
        "NotFoundException",
        "kms",
        "enable-key",
        "--key-id",
        "alias/nope");
    bad("disable-key without --key-id", USAGE, "Missing required option", "kms", "disable-key");
    bad(
        "create-alias without the alias/ prefix",
        FAILED,
        "ValidationException",
        "kms",
        "create-alias",
        "--alias-name",
        "noprefix",
        "--target-key-id",
        master);
    bad(
        "create-alias in the reserved alias/aws/ space",
        FAILED,
        "alias/aws/",
        "kms",
        "create-alias",
        "--alias-name",
        "alias/aws/mine",
        "--target-key-id",
        master);
    bad(
        "create-alias of an existing alias",
        FAILED,
        "AlreadyExistsException",
        "kms",
        "create-alias",
        "--alias-name",
        "alias/matrix",
        "--target-key-id",
        master);
    bad(
        "create-alias pointing at an alias",
        FAILED,
        "must point at a key id or key ARN, not at an alias",
        "kms",
        "create-alias",
        "--alias-name",
        "alias/other",
        "--target-key-id",
        "alias/matrix");
    bad(
        "create-alias with a bad character",
        FAILED,
        "ValidationException",
        "kms",
        "create-alias",
        "--alias-name",
        "alias/with space",
        "--target-key-id",
        master);
    bad(
        "delete-alias that does not exist",
        FAILED,
        "NotFoundException",
        "kms",
        "delete-alias",
        "--alias-name",
        "alias/nope");
    bad(
        "update-alias that does not exist",
        FAILED,
        "NotFoundException",
        "kms",
        "update-alias",
        "--alias-name",
        "alias/nope",
        "--target-key-id",
        master);
    bad(
        "list-aliases of an unknown key",
        FAILED,
        "NotFoundException",
        "kms",
        "list-aliases",
        "--key-id",
        "11111111-2222-3333-4444-555555555555");
  }

  private void kmsCrypto() throws Exception {
    bad(
        "encrypt without --plaintext",
        USAGE,
        "Missing required option: '--plaintext",
        "kms",
        "encrypt",
        "--key-id",
        master);
    bad(
        "encrypt plaintext not base64",
        USAGE,
        "Invalid base64",
        "kms",
        "encrypt",
        "--key-id",
        master,
        "--plaintext",
        "not base64!");
    bad(
        "encrypt plaintext from a missing file",
        USAGE,
        "Unable to load paramfile",
        "kms",
        "encrypt",
        "--key-id",
        master,
        "--plaintext",
        "fileb://" + dir.resolve("missing.bin"));
    bad(
        "encrypt 4097 bytes",
        FAILED,
        "4096",
        "kms",
        "encrypt",
        "--key-id",
        master,
        "--plaintext",
        Base64.getEncoder().encodeToString(new byte[4097]));
    bad(
        "encrypt empty plaintext",
        FAILED,
        "ValidationException",
        "kms",
        "encrypt",
        "--key-id",
        master,
        "--plaintext",
        "");
    bad(
        "encrypt context not key=value",
        USAGE,
        "Expected: 'key=value'",
        "kms",
        "encrypt",
        "--key-id",
        master,
        "--plaintext",
        "aGk=",
        "--encryption-context",
        "app");
    bad(
        "encrypt context value not a string",
        USAGE,
        "must be a string",
        "kms",
        "encrypt",
        "--key-id",
        master,
        "--plaintext",
        "aGk=",
        "--encryption-context",
        "{\"app\": 1}");
    bad(
        "encrypt context key twice",
        USAGE,
        "the key 'app' is given twice",
        "kms",
        "encrypt",
        "--key-id",
        master,
        "--plaintext",
        "aGk=",
        "--encryption-context",
        "app=a,app=b");
    bad(
        "encrypt context JSON twice the same member",
        USAGE,
        "Duplicate member name 'app'",
        "kms",
        "encrypt",
        "--key-id",
        master,
        "--plaintext",
        "aGk=",
        "--encryption-context",
        "{\"app\": \"a\", \"app\": \"b\"}");
    bad(
        "encrypt under a disabled key",
        FAILED,
        "DisabledException",
        "kms",
        "encrypt",
        "--key-id",
        disabledKey,
        "--plaintext",
        "aGk=");
    badEnv(
        "encrypt without any key",
        env("COFFER_MASTER_KEY", null),
        USAGE,
        "--key-id",
        "kms",
        "encrypt",
        "--plaintext",
        "aGk=");
    bad(
        "decrypt garbage",
        FAILED,
        "InvalidCiphertextException",
        "kms",
        "decrypt",
        "--ciphertext-blob",
        Base64.getEncoder().encodeToString("garbage that is no ciphertext".getBytes()));
    bad(
        "decrypt with the wrong context",
        FAILED,
        "InvalidCiphertextException",
        "kms",
        "decrypt",
        "--ciphertext-blob",
        ciphertext,
        "--encryption-context",
        "app=other");
    bad(
        "decrypt without its context",
        FAILED,
        "InvalidCiphertextException",
        "kms",
        "decrypt",
        "--ciphertext-blob",
        ciphertext);
    bad(
        "decrypt naming another key",
        FAILED,
        "IncorrectKeyException",
        "kms",
        "decrypt",
        "--ciphertext-blob",
        ciphertext,
        "--encryption-context",
        "app=matrix",
        "--key-id",
        otherKey);
    bad(
        "decrypt empty blob",
        FAILED,
        "InvalidCiphertextException",
        "kms",
        "decrypt",
        "--ciphertext-blob",
        "");
    bad(
        "decrypt without --ciphertext-blob",
        USAGE,
        "Missing required option: '--ciphertext-blob",
        "kms",
        "decrypt");
    bad(
        "re-encrypt without a destination",
        USAGE,
        "Missing required option: '--destination-key-id",
        "kms",
        "re-encrypt",
        "--ciphertext-blob",
        ciphertext);
    bad(
        "re-encrypt to an unknown key",
        FAILED,
        "NotFoundException",
        "kms",
        "re-encrypt",
        "--ciphertext-blob",
        ciphertext,
        "--source-encryption-context",
        "app=matrix",
        "--destination-key-id",
        "alias/nope");
    bad(
        "generate-data-key 0 bytes",
        FAILED,
        "ValidationException",
        "kms",
        "generate-data-key",
        "--key-id",
        master,
        "--number-of-bytes",
        "0");
    bad(
        "generate-data-key 1025 bytes",
        FAILED,
        "ValidationException",
        "kms",
        "generate-data-key",
        "--key-id",
        master,
        "--number-of-bytes",
        "1025");
    bad(
        "generate-data-key bytes not a number",
        USAGE,
        "--number-of-bytes",
        "kms",
        "generate-data-key",
        "--key-id",
        master,
        "--number-of-bytes",
        "abc");
    bad(
        "generate-data-key unknown key spec",
        USAGE,
        "--key-spec",
        "kms",
        "generate-data-key",
        "--key-id",
        master,
        "--key-spec",
        "AES_512");
    bad(
        "generate-data-key both spec and bytes",
        USAGE,
        "--number-of-bytes, not both",
        "kms",
        "generate-data-key",
        "--key-id",
        master,
        "--key-spec",
        "AES_256",
        "--number-of-bytes",
        "32");
    bad(
        "generate-data-key-without-plaintext unknown key",
        FAILED,
        "NotFoundException",
        "kms",
        "generate-data-key-without-plaintext",
        "--key-id",
        "alias/nope",
        "--key-spec",
        "AES_256");
  }

  private void kmsAdmin() throws Exception {
    bad(
        "enable-key-rotation period too short",
        FAILED,
        "rotationPeriodInDays",
        "kms",
        "enable-key-rotation",
        "--key-id",
        master,
        "--rotation-period-in-days",
        "10");
    bad(
        "enable-key-rotation period not a number",
        USAGE,
        "--rotation-period-in-days",
        "kms",
        "enable-key-rotation",
        "--key-id",
        master,
        "--rotation-period-in-days",
        "often");
    bad(
        "schedule-key-deletion window 3 days",
        FAILED,
        "pendingWindowInDays",
        "kms",
        "schedule-key-deletion",
        "--key-id",
        otherKey,
        "--pending-window-in-days",
        "3");
    bad(
        "schedule-key-deletion window too large a number",
        USAGE,
        "--pending-window-in-days",
        "kms",
        "schedule-key-deletion",
        "--key-id",
        otherKey,
        "--pending-window-in-days",
        "99999999999");
    bad(
        "cancel-key-deletion of a key not pending",
        FAILED,
        "KMSInvalidStateException",
        "kms",
        "cancel-key-deletion",
        "--key-id",
        otherKey);
    bad(
        "get-key-policy of another policy name",
        FAILED,
        "other",
        "kms",
        "get-key-policy",
        "--key-id",
        master,
        "--policy-name",
        "other");
    bad(
        "put-key-policy not JSON",
        FAILED,
        "MalformedPolicyDocumentException",
        "kms",
        "put-key-policy",
        "--key-id",
        master,
        "--policy",
        "not json");
    bad(
        "put-key-policy that locks the caller out",
        FAILED,
        "MalformedPolicyDocumentException",
        "kms",
        "put-key-policy",
        "--key-id",
        master,
        "--policy",
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\":"
            + " \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:user/bob\"}, \"Action\": \"kms:*\","
            + " \"Resource\": \"*\"}]}");
    bad(
        "put-key-policy with an unsupported element",
        FAILED,
        "Condition",
        "kms",
        "put-key-policy",
        "--key-id",
        master,
        "--policy",
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\":"
            + " \"*\", \"Action\": \"kms:*\", \"Resource\": \"*\", \"Condition\": {}}]}");
    bad(
        "rotate-key-on-demand of an unknown key",
        FAILED,
        "NotFoundException",
        "kms",
        "rotate-key-on-demand",
        "--key-id",
        "alias/nope");
    bad(
        "get-key-rotation-status without --key-id",
        USAGE,
        "Missing required option",
        "kms",
        "get-key-rotation-status");
    bad(
        "kms serve on port 70000",
        USAGE,
        "a port number from 0",
        "kms",
        "serve",
        "--port",
        "70000");
    bad("kms serve on port abc", USAGE, "a port number from 0", "kms", "serve", "--port", "abc");
  }

  private void createTable() throws Exception {
    String defs = "AttributeName=pk,AttributeType=S";
    String schema = "AttributeName=pk,KeyType=HASH";
    bad(
        "create-table without --key-schema",
        USAGE,
        "Missing required option: '--key-schema",
        "dynamodb",
        "create-table",
        "--table-name",
        "T11",
        "--attribute-definitions",
        defs);
    bad(
        "create-table name too short",
        FAILED,
        "have length between 3 and 255",
        "dynamodb",
        "create-table",
        "--table-name",
        "ab",
        "--attribute-definitions",
        defs,
        "--key-schema",
        schema);
    bad(
        "create-table name with a bad character",
        FAILED,
        "Member must satisfy regular expression pattern",
        "dynamodb",
        "create-table",
        "--table-name",
        "bad name!",
        "--attribute-definitions",
        defs,
        "--key-schema",
        schema);
    bad(
        "create-table name of 256 characters",
        FAILED,
        "have length between 3 and 255",
        "dynamodb",
        "create-table",
        "--table-name",
        "t".repeat(256),
        "--attribute-definitions",
        defs,
        "--key-schema",
        schema);
    bad(
        "create-table attribute type X",
        FAILED,
        "ValidationException",
        "dynamodb",
        "create-table",
        "--table-name",
        "T11",
        "--attribute-definitions",
        "AttributeName=pk,AttributeType=X",
        "--key-schema",
        schema);
    bad(
        "create-table key attribute not defined",
        FAILED,
        "ValidationException",
        "dynamodb",
        "create-table",
        "--table-name",
        "T11",
        "--attribute-definitions",
        "AttributeName=other,AttributeType=S",
        "--key-schema",
        schema);
    bad(
        "create-table two HASH keys",
        FAILED,
        "ValidationException",
        "dynamodb",
        "create-table",
        "--table-name",
        "T11",
        "--attribute-definitions",
        defs,
        "AttributeName=b,AttributeType=S",
        "--key-schema",
        schema,
        "AttributeName=b,KeyType=HASH");
    bad(
        "create-table RANGE key only",
        FAILED,
        "ValidationException",
        "dynamodb",
        "create-table",
        "--table-name",
        "T11",
        "--attribute-definitions",
        defs,
        "--key-schema",
        "AttributeName=pk,KeyType=RANGE");
    bad(
        "create-table BOOL key",
        FAILED,
        "ValidationException",
        "dynamodb",
        "create-table",
        "--table-name",
        "T11",
        "--attribute-definitions",
        "AttributeName=pk,AttributeType=BOOL",
        "--key-schema",
        schema);
    bad(
        "create-table unused attribute definition",
        FAILED,
        "ValidationException",
        "dynamodb",
        "create-table",
        "--table-name",
        "T11",
        "--attribute-definitions",
        defs,
        "AttributeName=extra,AttributeType=N",
        "--key-schema",
        schema);
    bad(
        "create-table definitions not shorthand",
        USAGE,
        "--attribute-definitions",
        "dynamodb",
        "create-table",
        "--table-name",
        "T11",
        "--attribute-definitions",
        "junk",
        "--key-schema",
        schema);
    bad(
        "create-table definitions bad JSON",
        USAGE,
        "Invalid JSON",
        "dynamodb",
        "create-table",
        "--table-name",
        "T11",
        "--attribute-definitions",
        "[{",
        "--key-schema",
        schema);
    bad(
        "create-table of an existing table",
        FAILED,
        "ResourceInUseException",
        "dynamodb",
        "create-table",
        "--table-name",
        "Music",
        "--attribute-definitions",
        defs,
        "--key-schema",
        schema);
    bad(
        "create-table unknown billing mode",
        FAILED,
        "billingMode",
        "dynamodb",
        "create-table",
        "--table-name",
        "T11",
        "--attribute-definitions",
        defs,
        "--key-schema",
        schema,
        "--billing-mode",
        "FREE");
    bad(
        "create-table zero read capacity",
        USAGE,
        "ReadCapacityUnits",
        "dynamodb",
        "create-table",
        "--table-name",
        "T11",
        "--attribute-definitions",
        defs,
        "--key-schema",
        schema,
        "--provisioned-throughput",
        "ReadCapacityUnits=0,WriteCapacityUnits=1");
    bad(
        "create-table throughput not shorthand",
        USAGE,
        "--provisioned-throughput",
        "dynamodb",
        "create-table",
        "--table-name",
        "T11",
        "--attribute-definitions",
        defs,
        "--key-schema",
        schema,
        "--provisioned-throughput",
        "abc");
    bad(
        "create-table unknown table class",
        FAILED,
        "tableClass",
        "dynamodb",
        "create-table",
        "--table-name",
        "T11",
        "--attribute-definitions",
        defs,
        "--key-schema",
        schema,
        "--table-class",
        "GOLD");
    bad(
        "describe-table of a missing table",
        FAILED,
        "ResourceNotFoundException",
        "dynamodb",
        "describe-table",
        "--table-name",
        "NoSuchTable");
    bad(
        "describe-table without --table-name",
        USAGE,
        "Missing required option: '--table-name",
        "dynamodb",
        "describe-table");
    bad(
        "delete-table of a missing table",
        FAILED,
        "ResourceNotFoundException",
        "dynamodb",
        "delete-table",
        "--table-name",
        "NoSuchTable");
  }

  private void items() throws Exception {
    put(
        "write Acme Band / Happy Day",
        "Music",
        "{\"Artist\": {\"S\": \"Acme Band\"}, \"SongTitle\": {\"S\":"
            + " \"Happy Day\"}, \"Awards\": {\"N\": \"10\"}}");
    put(
        "write number 7",
        "Numbers",
        "{\"id\": {\"N\": \"7\"}, \"tags\": {\"SS\": [\"a\", \"b\"]}}");
    String item = "--item";
    bad(
        "put-item not JSON",
        USAGE,
        "Invalid JSON",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{");
    bad(
        "put-item text after the JSON",
        USAGE,
        "Unexpected text after the JSON value",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}} x");
    bad(
        "put-item member twice",
        USAGE,
        "Duplicate member name 'Artist'",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"Artist\": {\"S\": \"b\"}}");
    bad(
        "put-item a list instead of a map",
        USAGE,
        "expected a JSON object, received: []",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "[]");
    bad(
        "put-item unknown type",
        USAGE,
        "Unknown parameter in Item.Artist: \"X\"",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"X\": \"a\"}}");
    bad(
        "put-item value with two types",
        USAGE,
        "an attribute value has exactly one of",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\", \"N\": \"1\"}}");
    bad(
        "put-item S of a number",
        USAGE,
        "valid types: <class 'str'>",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": 5}}");
    bad(
        "put-item comment in JSON",
        USAGE,
        "Invalid JSON",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{/* c */ \"Artist\": {\"S\": \"a\"}}");
    bad(
        "put-item single quotes",
        USAGE,
        "Invalid JSON",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{'Artist': {'S': 'a'}}");
    bad(
        "put-item trailing comma",
        USAGE,
        "Invalid JSON",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"},}");
    bad(
        "put-item JSON nested 1001 levels",
        USAGE,
        "nested more than 1000 levels deep",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "[".repeat(1001) + "]".repeat(1001));
    bad(
        "put-item without the sort key",
        FAILED,
        "SongTitle",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}}");
    bad(
        "put-item without any key",
        FAILED,
        "ValidationException",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"x\": {\"S\": \"a\"}}");
    bad(
        "put-item key of the wrong type",
        FAILED,
        "Type mismatch for key",
        "dynamodb",
        "put-item",
        "--table-name",
        "Numbers",
        item,
        "{\"id\": {\"S\": \"7\"}}");
    bad(
        "put-item empty partition key",
        FAILED,
        "empty string",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"\"}, \"SongTitle\": {\"S\": \"b\"}}");
    bad(
        "put-item empty sort key",
        FAILED,
        "empty string",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"\"}}");
    bad(
        "put-item empty binary partition key",
        FAILED,
        "empty",
        "dynamodb",
        "put-item",
        "--table-name",
        "Bin",
        item,
        "{\"pk\": {\"B\": \"\"}, \"sk\": {\"N\": \"1\"}}");
    bad(
        "put-item partition key of 2049 bytes",
        FAILED,
        "2048",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"" + "a".repeat(2049) + "\"}, \"SongTitle\": {\"S\": \"b\"}}");
    bad(
        "put-item sort key of 1025 bytes",
        FAILED,
        "1024",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"" + "é".repeat(513) + "\"}}");
    Path big = dir.resolve("big-item.json");
    write(
        big,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}, \"blob\": {\"S\": \""
            + "x".repeat(410 * 1024)
            + "\"}}");
    bad(
        "put-item over 400 KB",
        FAILED,
        "Item size has exceeded the maximum allowed size",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "file://" + big);
    bad(
        "put-item nested 33 levels",
        FAILED,
        "Nesting Levels have exceeded supported limits",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"},"
            + " \"deep\": "
            + "{\"L\": [".repeat(33)
            + "{\"S\": \"x\"}"
            + "]}".repeat(33)
            + "}");
    bad(
        "put-item empty attribute name",
        FAILED,
        "ValidationException",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}, \"\": {\"S\": \"x\"}}");
    bad(
        "put-item attribute name of 65536 bytes",
        FAILED,
        "ValidationException",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}, \""
            + "n".repeat(65536)
            + "\": {\"S\": \"x\"}}");
    bad(
        "put-item number that is text",
        FAILED,
        "The parameter cannot be converted to a numeric value: ten",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\":"
            + " \"b\"}, \"n\": {\"N\": \"ten\"}}");
    bad(
        "put-item number of 39 digits",
        FAILED,
        "ValidationException",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}, \"n\": {\"N\": \""
            + "1".repeat(39)
            + "\"}}");
    bad(
        "put-item number overflow",
        FAILED,
        "Number overflow",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}, \"n\": {\"N\": \"1E+126\"}}");
    bad(
        "put-item number underflow",
        FAILED,
        "Number underflow",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}, \"n\": {\"N\": \"1E-131\"}}");
    bad(
        "put-item number key that is not a number",
        FAILED,
        "numeric value",
        "dynamodb",
        "put-item",
        "--table-name",
        "Numbers",
        item,
        "{\"id\": {\"N\": \"0x10\"}}");
    bad(
        "put-item empty string set",
        FAILED,
        "empty",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}, \"s\": {\"SS\": []}}");
    bad(
        "put-item duplicate in a string set",
        FAILED,
        "duplicates",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}, \"s\": {\"SS\": [\"x\", \"x\"]}}");
    bad(
        "put-item equal numbers in a number set",
        FAILED,
        "duplicates",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}, \"s\": {\"NS\": [\"1\", \"1.0\"]}}");
    bad(
        "put-item empty binary set",
        FAILED,
        "empty",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}, \"s\": {\"BS\": []}}");
    bad(
        "put-item binary not base64",
        USAGE,
        "Invalid base64",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}, \"b\": {\"B\": \"%%%\"}}");
    bad(
        "put-item binary set member not base64",
        USAGE,
        "Invalid base64",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}, \"b\": {\"BS\": [\"!\"]}}");
    bad(
        "put-item NULL false",
        USAGE,
        "must be true",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}, \"z\": {\"NULL\": false}}");
    bad(
        "put-item BOOL as text",
        USAGE,
        "valid types: <class 'bool'>",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}, \"t\": {\"BOOL\": \"true\"}}");
    bad(
        "put-item L that is not a list",
        USAGE,
        "valid types: <class 'list'>",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}, \"l\": {\"L\": {}}}");
    bad(
        "put-item M that is not a map",
        USAGE,
        "valid types: <class 'dict'>",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}, \"m\": {\"M\": []}}");
    bad(
        "put-item SS of numbers",
        USAGE,
        "valid types: <class 'str'>",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}, \"s\": {\"SS\": [1]}}");
    bad(
        "put-item unpaired surrogate in a string",
        FAILED,
        "ValidationException",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"\\ud800\"}}");
    bad(
        "put-item into a missing table",
        FAILED,
        "ResourceNotFoundException",
        "dynamodb",
        "put-item",
        "--table-name",
        "NoSuchTable",
        item,
        "{\"Artist\": {\"S\": \"a\"}}");
    bad(
        "put-item --return-values ALL_NEW",
        FAILED,
        "ReturnValues can only be ALL_OLD or NONE",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}}",
        "--return-values",
        "ALL_NEW");
    bad(
        "put-item from a missing file",
        USAGE,
        "Unable to load paramfile",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music",
        item,
        "file://" + dir.resolve("missing-item.json"));
    bad(
        "put-item without --item",
        USAGE,
        "Missing required option: '--item",
        "dynamodb",
        "put-item",
        "--table-name",
        "Music");
    put(
        "write Acme Band / PartiQL Rocks",
        "Music",
        "{\"Artist\": {\"S\": \"Acme Band\"}, \"SongTitle\": {\"S\":"
            + " \"PartiQL Rocks\"}, \"Meta\": {\"M\": {\"live\": {\"BOOL\": true}, \"tracks\": {\"L\": [{\"S\": \"x\"},"
            + " {\"N\": \"2.5\"}]}}}}");
    put(
        "write a binary key",
        "Bin",
        "{\"pk\": {\"B\": \"AQI=\"}, \"sk\": {\"N\": \"-1.5\"}, \"bs\": {\"BS\":"
            + " [\"AA==\", \"AQ==\"]}}");
    put(
        "write number -2.5 with an empty string",
        "Numbers",
        "{\"id\": {\"N\": \"-2.5\"}, \"e\": {\"S\": \"\"}}");
    bad(
        "delete-item key not JSON",
        USAGE,
        "Invalid JSON",
        "dynamodb",
        "delete-item",
        "--table-name",
        "Numbers",
        "--key",
        "{\"id\":");
    bad(
        "delete-item key of the wrong type",
        FAILED,
        "The provided key element does not match the schema",
        "dynamodb",
        "delete-item",
        "--table-name",
        "Numbers",
        "--key",
        "{\"id\": {\"S\": \"7\"}}");
    bad(
        "delete-item key with an extra attribute",
        FAILED,
        "The provided key element does not match the schema",
        "dynamodb",
        "delete-item",
        "--table-name",
        "Numbers",
        "--key",
        "{\"id\": {\"N\": \"7\"}, \"x\": {\"N\": \"1\"}}");
    bad(
        "delete-item --return-values ALL_NEW",
        FAILED,
        "ReturnValues can only be ALL_OLD or NONE",
        "dynamodb",
        "delete-item",
        "--table-name",
        "Numbers",
        "--key",
        "{\"id\": {\"N\": \"7\"}}",
        "--return-values",
        "ALL_NEW");
    delete("delete number 7", "Numbers", "{\"id\": {\"N\": \"7\"}}");
  }

  private void reads() throws Exception {
    String key = "{\"Artist\": {\"S\": \"Acme Band\"}, \"SongTitle\": {\"S\": \"Happy Day\"}}";
    bad(
        "get-item key without the sort key",
        FAILED,
        "The provided key element does not match the schema",
        "dynamodb",
        "get-item",
        "--table-name",
        "Music",
        "--key",
        "{\"Artist\": {\"S\": \"Acme Band\"}}");
    bad(
        "get-item key with the wrong names",
        FAILED,
        "The provided key element does not match the schema",
        "dynamodb",
        "get-item",
        "--table-name",
        "Music",
        "--key",
        "{\"a\": {\"S\": \"x\"}, \"b\": {\"S\": \"y\"}}");
    bad(
        "get-item empty key",
        FAILED,
        "The provided key element does not match the schema",
        "dynamodb",
        "get-item",
        "--table-name",
        "Music",
        "--key",
        "{}");
    bad(
        "get-item projection syntax error",
        FAILED,
        "Invalid ProjectionExpression: Syntax error",
        "dynamodb",
        "get-item",
        "--table-name",
        "Music",
        "--key",
        key,
        "--projection-expression",
        "Awards,");
    bad(
        "get-item projection undefined name",
        FAILED,
        "An expression attribute name used in the document path is"
            + " not defined; attribute name: #x",
        "dynamodb",
        "get-item",
        "--table-name",
        "Music",
        "--key",
        key,
        "--projection-expression",
        "#x");
    bad(
        "get-item unused expression name",
        FAILED,
        "Value provided in ExpressionAttributeNames unused in" + " expressions",
        "dynamodb",
        "get-item",
        "--table-name",
        "Music",
        "--key",
        key,
        "--projection-expression",
        "Awards",
        "--expression-attribute-names",
        "{\"#x\": \"a\"}");
    bad(
        "get-item names without an expression",
        FAILED,
        "ExpressionAttributeNames can only be specified when" + " using expressions",
        "dynamodb",
        "get-item",
        "--table-name",
        "Music",
        "--key",
        key,
        "--expression-attribute-names",
        "{\"#x\": \"a\"}");
    bad(
        "get-item projection reserved word",
        FAILED,
        "Attribute name is a reserved keyword; reserved keyword:" + " status",
        "dynamodb",
        "get-item",
        "--table-name",
        "Music",
        "--key",
        key,
        "--projection-expression",
        "status");
    bad(
        "get-item projection overlapping paths",
        FAILED,
        "Two document paths overlap",
        "dynamodb",
        "get-item",
        "--table-name",
        "Music",
        "--key",
        key,
        "--projection-expression",
        "Meta, Meta.live");
    bad(
        "get-item projection empty",
        FAILED,
        "Invalid ProjectionExpression: The expression can not be empty",
        "dynamodb",
        "get-item",
        "--table-name",
        "Music",
        "--key",
        key,
        "--projection-expression",
        "");
    bad(
        "get-item names map not JSON",
        USAGE,
        "Invalid JSON",
        "dynamodb",
        "get-item",
        "--table-name",
        "Music",
        "--key",
        key,
        "--projection-expression",
        "#a",
        "--expression-attribute-names",
        "{#a: Awards}");
    bad(
        "get-item names map with a number",
        USAGE,
        "--expression-attribute-names",
        "dynamodb",
        "get-item",
        "--table-name",
        "Music",
        "--key",
        key,
        "--projection-expression",
        "#a",
        "--expression-attribute-names",
        "{\"#a\": 5}");
    bad(
        "get-item from a missing table",
        FAILED,
        "ResourceNotFoundException",
        "dynamodb",
        "get-item",
        "--table-name",
        "NoSuchTable",
        "--key",
        key);
  }

  private void queriesAndScans() throws Exception {
    String values = "{\":a\": {\"S\": \"Acme Band\"}}";
    bad(
        "query without a key condition",
        USAGE,
        "Missing required option: '--key-condition-expression",
        "dynamodb",
        "query",
        "--table-name",
        "Music");
    bad(
        "query syntax error",
        FAILED,
        "Invalid KeyConditionExpression: Syntax error",
        "dynamodb",
        "query",
        "--table-name",
        "Music",
        "--key-condition-expression",
        "Artist = = :a",
        "--expression-attribute-values",
        values);
    bad(
        "query undefined value",
        FAILED,
        "An expression attribute value used in expression is not defined;" + " attribute value: :b",
        "dynamodb",
        "query",
        "--table-name",
        "Music",
        "--key-condition-expression",
        "Artist = :b",
        "--expression-attribute-values",
        values);
    bad(
        "query unused value",
        FAILED,
        "Value provided in ExpressionAttributeValues unused in expressions",
        "dynamodb",
        "query",
        "--table-name",
        "Music",
        "--key-condition-expression",
        "Artist = :a",
        "--expression-attribute-values",
        "{\":a\": {\"S\": \"Acme Band\"}, \":z\": {\"S\": \"x\"}}");
    bad(
        "query with OR",
        FAILED,
        "Invalid operator used in KeyConditionExpression: OR",
        "dynamodb",
        "query",
        "--table-name",
        "Music",
        "--key-condition-expression",
        "Artist = :a OR Artist = :a",
        "--expression-attribute-values",
        values);
    bad(
        "query on a non-key attribute",
        FAILED,
        "Query condition missed key schema element",
        "dynamodb",
        "query",
        "--table-name",
        "Music",
        "--key-condition-expression",
        "Awards = :a",
        "--expression-attribute-values",
        values);
    bad(
        "query partition key with <",
        FAILED,
        "takes only =, not <",
        "dynamodb",
        "query",
        "--table-name",
        "Music",
        "--key-condition-expression",
        "Artist < :a",
        "--expression-attribute-values",
        values);
    bad(
        "query value of the wrong type",
        FAILED,
        "Condition parameter type does not match schema type",
        "dynamodb",
        "query",
        "--table-name",
        "Numbers",
        "--key-condition-expression",
        "id = :a",
        "--expression-attribute-values",
        values);
    bad(
        "query reserved word",
        FAILED,
        "Attribute name is a reserved keyword; reserved keyword: year",
        "dynamodb",
        "query",
        "--table-name",
        "Music",
        "--key-condition-expression",
        "year = :a",
        "--expression-attribute-values",
        values);
    bad(
        "query empty expression",
        FAILED,
        "The expression can not be empty",
        "dynamodb",
        "query",
        "--table-name",
        "Music",
        "--key-condition-expression",
        "",
        "--expression-attribute-values",
        values);
    bad(
        "query expression over 4 KB",
        FAILED,
        "Expression size has exceeded the maximum allowed size",
        "dynamodb",
        "query",
        "--table-name",
        "Music",
        "--key-condition-expression",
        "Artist = :a" + " ".repeat(4100),
        "--expression-attribute-values",
        values);
    bad(
        "query values not DynamoDB JSON",
        USAGE,
        "valid types: <class 'str'>",
        "dynamodb",
        "query",
        "--table-name",
        "Music",
        "--key-condition-expression",
        "Artist = :a",
        "--expression-attribute-values",
        "{\":a\": {\"S\": 1}}");
    bad(
        "query --limit 0",
        FAILED,
        "ValidationException",
        "dynamodb",
        "query",
        "--table-name",
        "Music",
        "--key-condition-expression",
        "Artist = :a",
        "--expression-attribute-values",
        values,
        "--limit",
        "0");
    bad(
        "query --limit abc",
        USAGE,
        "--limit",
        "dynamodb",
        "query",
        "--table-name",
        "Music",
        "--key-condition-expression",
        "Artist = :a",
        "--expression-attribute-values",
        values,
        "--limit",
        "abc");
    bad(
        "query start key of another partition",
        FAILED,
        "ValidationException",
        "dynamodb",
        "query",
        "--table-name",
        "Music",
        "--key-condition-expression",
        "Artist = :a",
        "--expression-attribute-values",
        values,
        "--exclusive-start-key",
        "{\"Artist\": {\"S\": \"x\"}}");
    bad(
        "query start key not JSON",
        USAGE,
        "Invalid JSON",
        "dynamodb",
        "query",
        "--table-name",
        "Music",
        "--key-condition-expression",
        "Artist = :a",
        "--expression-attribute-values",
        values,
        "--exclusive-start-key",
        "nope");
    bad(
        "query BETWEEN bounds in the wrong order",
        FAILED,
        "BETWEEN",
        "dynamodb",
        "query",
        "--table-name",
        "Music",
        "--key-condition-expression",
        "Artist = :a AND SongTitle BETWEEN :z AND :b",
        "--expression-attribute-values",
        "{\":a\": {\"S\": \"Acme Band\"}, \":z\": {\"S\": \"z\"}, \":b\": {\"S\": \"b\"}}");
    bad(
        "query begins_with a number",
        FAILED,
        "begins_with",
        "dynamodb",
        "query",
        "--table-name",
        "Bin",
        "--key-condition-expression",
        "pk = :p AND begins_with(sk, :n)",
        "--expression-attribute-values",
        "{\":p\": {\"B\": \"AQI=\"}, \":n\": {\"N\": \"1\"}}");
    bad(
        "query a missing table",
        FAILED,
        "ResourceNotFoundException",
        "dynamodb",
        "query",
        "--table-name",
        "NoSuchTable",
        "--key-condition-expression",
        "Artist = :a",
        "--expression-attribute-values",
        values);
    bad(
        "scan segment without total",
        FAILED,
        "ValidationException",
        "dynamodb",
        "scan",
        "--table-name",
        "Music",
        "--segment",
        "1");
    bad(
        "scan segment beyond total",
        FAILED,
        "ValidationException",
        "dynamodb",
        "scan",
        "--table-name",
        "Music",
        "--segment",
        "5",
        "--total-segments",
        "2");
    bad(
        "scan total segments over 1000000",
        FAILED,
        "ValidationException",
        "dynamodb",
        "scan",
        "--table-name",
        "Music",
        "--segment",
        "0",
        "--total-segments",
        "1000001");
    bad(
        "scan --limit -1",
        FAILED,
        "ValidationException",
        "dynamodb",
        "scan",
        "--table-name",
        "Music",
        "--limit",
        "-1");
    bad(
        "scan --segment x",
        USAGE,
        "--segment",
        "dynamodb",
        "scan",
        "--table-name",
        "Music",
        "--segment",
        "x",
        "--total-segments",
        "2");
    bad(
        "scan a missing table",
        FAILED,
        "ResourceNotFoundException",
        "dynamodb",
        "scan",
        "--table-name",
        "NoSuchTable");
    bad(
        "scan start key of the wrong shape",
        FAILED,
        "The provided key element does not match the schema",
        "dynamodb",
        "scan",
        "--table-name",
        "Numbers",
        "--exclusive-start-key",
        "{\"id\": {\"S\": \"x\"}}");
    bad(
        "scan projection with an undefined value placeholder",
        FAILED,
        "Syntax error",
        "dynamodb",
        "scan",
        "--table-name",
        "Music",
        "--projection-expression",
        ":v");
  }

  private void batches() throws Exception {
    String put = "{\"PutRequest\": {\"Item\": {\"id\": {\"N\": \"%d\"}}}}";
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 26; i++) {
      many.add(String.format(put, 100 + i));
    }
    bad(
        "batch-write-item not JSON",
        USAGE,
        "Invalid JSON",
        "dynamodb",
        "batch-write-item",
        "--request-items",
        "{");
    bad(
        "batch-write-item 26 requests",
        FAILED,
        "25",
        "dynamodb",
        "batch-write-item",
        "--request-items",
        "{\"Numbers\": [" + String.join(", ", many) + "]}");
    bad(
        "batch-write-item the same key twice",
        FAILED,
        "duplicates",
        "dynamodb",
        "batch-write-item",
        "--request-items",
        "{\"Numbers\": [" + String.format(put, 1) + ", " + String.format(put, 1) + "]}");
    bad(
        "batch-write-item a missing table",
        FAILED,
        "ResourceNotFoundException",
        "dynamodb",
        "batch-write-item",
        "--request-items",
        "{\"NoSuchTable\": [" + String.format(put, 1) + "]}");
    bad(
        "batch-write-item nothing",
        FAILED,
        "ValidationException",
        "dynamodb",
        "batch-write-item",
        "--request-items",
        "{}");
    bad(
        "batch-write-item request of an unknown kind",
        USAGE,
        "Unknown parameter in RequestItems.Numbers[0]: \"UpdateRequest\", must be one of: PutRequest, DeleteRequest",
        "dynamodb",
        "batch-write-item",
        "--request-items",
        "{\"Numbers\": [{\"UpdateRequest\": {}}]}");
    bad(
        "batch-write-item a bad item among good ones",
        FAILED,
        "The provided key element does not match the schema",
        "dynamodb",
        "batch-write-item",
        "--request-items",
        "{\"Numbers\": ["
            + String.format(put, 1)
            + ", {\"PutRequest\": {\"Item\": {\"id\": {\"S\": \"x\"}}}}]}");
    bad(
        "batch-write-item not a map of lists",
        USAGE,
        "each table needs a non-empty list of write requests",
        "dynamodb",
        "batch-write-item",
        "--request-items",
        "{\"Numbers\": {}}");
    steps.add(
        good(
            "batch-write-item two puts and a delete",
            List.of(
                "dynamodb",
                "batch-write-item",
                "--request-items",
                "{\"Numbers\": ["
                    + String.format(put, 1)
                    + ", "
                    + String.format(put, 2)
                    + ", {\"DeleteRequest\": {\"Key\": {\"id\": {\"N\": \"-2.5\"}}}}]}"),
            ref -> {
              Map<String, JsonNode> numbers = ref.get("Numbers");
              numbers.put("{\"N\":\"1\"}", json("{\"id\": {\"N\": \"1\"}}"));
              numbers.put("{\"N\":\"2\"}", json("{\"id\": {\"N\": \"2\"}}"));
              numbers.remove("{\"N\":\"-2.5\"}");
            }));
  }

  private void storeCommands() throws Exception {
    Path lines = dir.resolve("import.jsonl");
    bad(
        "verify a missing table",
        FAILED,
        "ResourceNotFoundException",
        "verify",
        "--table-name",
        "NoSuchTable");
    bad("info with an unknown option", USAGE, "Unknown option: '--all'", "info", "--all");
    bad(
        "export a missing table",
        FAILED,
        "ResourceNotFoundException",
        "export",
        "--table-name",
        "NoSuchTable");
    bad(
        "export over an existing file",
        USAGE,
        "exists: pass --overwrite",
        "export",
        "--table-name",
        "Music",
        "--output-file",
        dir.resolve("exists.jsonl").toString());
    bad("export without --table-name", USAGE, "Missing required option: '--table-name", "export");
    bad(
        "import a missing file",
        USAGE,
        "missing.jsonl",
        "import",
        "--table-name",
        "Numbers",
        "--input-file",
        dir.resolve("missing.jsonl").toString());
    bad(
        "import a line that is not JSON",
        USAGE,
        "line 2: Invalid JSON",
        "import",
        "--table-name",
        "Numbers",
        "--input-file",
        write(lines, "{\"Item\": {\"id\": {\"N\": \"50\"}}}\n{\"Item\":\n"));
    bad(
        "import a line of the wrong shape",
        USAGE,
        "line 1",
        "import",
        "--table-name",
        "Numbers",
        "--input-file",
        write(dir.resolve("shape.jsonl"), "{\"NotItem\": {}}\n"));
    bad(
        "import a key of the wrong type",
        FAILED,
        "Type mismatch for key",
        "import",
        "--table-name",
        "Numbers",
        "--input-file",
        write(
            dir.resolve("type.jsonl"),
            "{\"Item\": {\"id\": {\"N\": \"51\"}}}\n{\"Item\":" + " {\"id\": {\"S\": \"x\"}}}\n"));
    bad(
        "import a line with a member twice",
        USAGE,
        "Duplicate member name",
        "import",
        "--table-name",
        "Numbers",
        "--input-file",
        write(
            dir.resolve("dup.jsonl"),
            "{\"Item\": {\"id\": {\"N\": \"1\"}, \"id\": {\"N\": \"2\"}}}\n"));
    bad(
        "import into a missing table",
        FAILED,
        "ResourceNotFoundException",
        "import",
        "--table-name",
        "NoSuchTable",
        "--input-file",
        write(dir.resolve("ok.jsonl"), "{\"Item\": {\"id\": {\"N\": \"52\"}}}\n"));
    bad(
        "audit --since not a time",
        USAGE,
        "--since",
        "audit",
        "--audit-file",
        dir.resolve("exists.jsonl").toString(),
        "--since",
        "yesterday-ish");
    bad(
        "audit --outcome MAYBE",
        USAGE,
        "--outcome",
        "audit",
        "--audit-file",
        dir.resolve("exists.jsonl").toString(),
        "--outcome",
        "MAYBE");
    badEnv(
        "audit without an audit file",
        env("COFFER_AUDIT_FILE", null),
        USAGE,
        "COFFER_AUDIT_FILE",
        "audit");
    bad(
        "rotate master-key to a missing key",
        FAILED,
        "NotFoundException",
        "rotate",
        "master-key",
        "--new-master-key",
        "alias/nope");
    bad(
        "rotate data-key of a missing table",
        FAILED,
        "ResourceNotFoundException",
        "rotate",
        "data-key",
        "--table-name",
        "NoSuchTable");
    bad(
        "rotate data-key at -5 bytes per second",
        USAGE,
        "--bytes-per-second",
        "rotate",
        "data-key",
        "--table-name",
        "Music",
        "--reencrypt",
        "--bytes-per-second",
        "-5");
    bad("rotate something unknown", USAGE, "Unmatched argument", "rotate", "store-key");
    bad(
        "reencrypt a missing table",
        FAILED,
        "ResourceNotFoundException",
        "reencrypt",
        "--table-name",
        "NoSuchTable");
    bad("serve on port 99999", USAGE, "a port number from 0", "serve", "--port", "99999");
    bad(
        "serve with 0 workers",
        USAGE,
        "a number of threads from 1 to 1024",
        "serve",
        "--workers",
        "0");
    bad("demo with an unknown option", USAGE, "Unknown option", "demo", "--frob");
  }

  private void bad(String name, int exit, String fragment, String... args) {
    steps.add(new Step(name, Map.of(), Arrays.asList(args), exit, fragment, null, false));
  }

  private void badEnv(
      String name, Map<String, String> env, int exit, String fragment, String... args) {
    steps.add(new Step(name, env, Arrays.asList(args), exit, fragment, null, false));
  }

  private static Step good(
      String name, List<String> args, Consumer<Map<String, Map<String, JsonNode>>> effect) {
    return new Step(name, Map.of(), args, 0, "", effect, false);
  }

  /** A successful put-item of {@code itemJson} into {@code table}. */
  private void put(String name, String table, String itemJson) {
    Table t = tables().stream().filter(x -> x.name().equals(table)).findFirst().orElseThrow();
    JsonNode item = json(itemJson);
    steps.add(
        good(
            name,
            List.of("dynamodb", "put-item", "--table-name", table, "--item", itemJson),
            ref -> ref.get(table).put(keyOf(item, t), item)));
  }

  /** A successful delete-item of {@code keyJson} from {@code table}. */
  private void delete(String name, String table, String keyJson) {
    Table t = tables().stream().filter(x -> x.name().equals(table)).findFirst().orElseThrow();
    JsonNode key = json(keyJson);
    steps.add(
        good(
            name,
            List.of("dynamodb", "delete-item", "--table-name", table, "--key", keyJson),
            ref -> ref.get(table).remove(keyOf(key, t))));
  }
}
