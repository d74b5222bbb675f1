package dev.coffer.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The json, text and table formats, against what the AWS CLI prints for the same response. */
class FormattersTest {
  private static final String ALIASES =
      "{\"Aliases\": [{\"AliasName\": \"alias/a\", \"TargetKeyId\": \"k1\"}]}";

  @Test
  void jsonIsIndentedByFourWithAwsSeparators() throws Exception {
    JsonNode node =
        AwsJson.mapper().readTree("{\"A\": [1, true], \"B\": [], \"C\": {}, \"D\": \"é/x\"}");

    assertThat(AwsJson.pretty(node))
        .isEqualTo(
            "{\n"
                + "    \"A\": [\n"
                + "        1,\n"
                + "        true\n"
                + "    ],\n"
                + "    \"B\": [],\n"
                + "    \"C\": {},\n"
                + "    \"D\": \"é/x\"\n"
                + "}");
  }

  @Test
  void timestampsAreIsoWithOffsetAndMicrosecondsOnlyWhenSet() {
    assertThat(AwsJson.timestamp(Instant.parse("2026-11-23T17:01:02Z")))
        .isEqualTo("2026-11-23T17:01:02+00:00");
    assertThat(AwsJson.timestamp(Instant.parse("2026-11-23T17:01:02.345Z")))
        .isEqualTo("2026-11-23T17:01:02.345000+00:00");
  }

  @Test
  void textPrintsSortedScalarsThenNestedListsUnderTheirKey() throws Exception {
    JsonNode node =
        AwsJson.mapper()
            .readTree(
                "{\"KeyMetadata\": {\"KeyId\": \"k\", \"Enabled\": true, \"EncryptionAlgorithms\":"
                    + " [\"SYMMETRIC_DEFAULT\"]}}");

    assertThat(TextFormatter.format(node))
        .isEqualTo("KEYMETADATA\tTrue\tk\nENCRYPTIONALGORITHMS\tSYMMETRIC_DEFAULT\n");
  }

  @Test
  void textPrintsOneLinePerObjectOfAList() throws Exception {
    JsonNode node =
        AwsJson.mapper()
            .readTree(
                "{\"Aliases\": [{\"AliasName\": \"alias/a\", \"TargetKeyId\": \"k1\"},"
                    + " {\"AliasName\": \"alias/b\"}]}");

    assertThat(TextFormatter.format(node)).isEqualTo("ALIASES\talias/a\tk1\nALIASES\talias/b\t\n");
  }

  @Test
  void textOfAScalarOrAListOfScalarsIsTheBareValues() throws Exception {
    assertThat(TextFormatter.format(AwsJson.mapper().readTree("\"abc\""))).isEqualTo("abc\n");
    assertThat(TextFormatter.format(AwsJson.mapper().readTree("[\"a\", \"b\"]")))
        .isEqualTo("a\tb\n");
    assertThat(TextFormatter.format(AwsJson.mapper().readTree("null"))).isEqualTo("None\n");
  }

  @Test
  void tableIsBoxedAsTheAwsCli() throws Exception {
    String table = TableFormatter.format("ListAliases", AwsJson.mapper().readTree(ALIASES));

    assertThat(table)
        .isEqualTo(
            String.join(
                "\n",
                "--------------------------------",
                "|          ListAliases         |",
                "+------------------------------+",
                "||           Aliases          ||",
                "|+------------+---------------+|",
                "||  AliasName |  TargetKeyId  ||",
                "|+------------+---------------+|",
                "||  alias/a   |  k1           ||",
                "|+------------+---------------+|",
                ""));
  }

  @Test
  void aTableWiderThan80ColumnsShowsSingleRowSectionsVertically() throws Exception {
    JsonNode node =
        AwsJson.mapper()
            .readTree(
                "{\"KeyMetadata\": {\"Arn\":"
                    + " \"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\","
                    + " \"Enabled\": true, \"KeyId\": \"1234abcd-12ab-34cd-56ef-1234567890ab\"}}");

    String table = TableFormatter.format("DescribeKey", node);

    assertThat(table)
        .isEqualTo(
            String.join(
                "\n",
                "----------------------------------------------------------------------------------------------",
                "|                                         DescribeKey                             "
                    + "           |",
                "+--------------------------------------------------------------------------------------------+",
                "||                                        KeyMetadata                             "
                    + "          ||",
                "|+---------+--------------------------------------------------------------------------------+|",
                "||  Arn    | "
                    + " arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                    + "   ||",
                "||  Enabled|  True                                                                "
                    + "          ||",
                "||  KeyId  |  1234abcd-12ab-34cd-56ef-1234567890ab                                "
                    + "          ||",
                "|+---------+--------------------------------------------------------------------------------+|",
                ""));
  }

  @Test
  void tableOfASingleScalarKeyIsAKeyValueRow() throws Exception {
    String table =
        TableFormatter.format(
            "RotateKeyOnDemand", AwsJson.mapper().readTree("{\"KeyId\": \"k1\"}"));

    assertThat(table.lines()).hasSize(5);
    assertThat(table).contains("RotateKeyOnDemand").contains("|  KeyId  |  k1").startsWith("-----");
  }

  @Test
  void everyTableLineHasTheSameWidth() throws Exception {
    JsonNode node =
        AwsJson.mapper()
            .readTree(
                "{\"KeyMetadata\": {\"KeyId\": \"1234abcd-12ab-34cd-56ef-1234567890ab\","
                    + " \"Enabled\": true, \"EncryptionAlgorithms\": [\"SYMMETRIC_DEFAULT\"]},"
                    + " \"Other\": [[\"a\", \"b\"], [\"c\", \"d\"]]}");

    String table = TableFormatter.format("DescribeKey", node);

    assertThat(table.lines().mapToInt(String::length).distinct().count()).as(table).isEqualTo(1);
  }

  @Test
  void emptyResponsesPrintNothingAndQueriesRunBeforeFormatting() throws Exception {
    StringWriter out = new StringWriter();
    ResponsePrinter text =
        new ResponsePrinter(
            new PrintWriter(out), OutputFormat.TEXT, JmesPathQuery.compile("Aliases[].AliasName"));

    text.print("ListAliases", null);
    text.print("ListAliases", AwsJson.object());
    assertThat(out.toString()).isEmpty();

    text.print("ListAliases", AwsJson.mapper().readTree(ALIASES));
    assertThat(out.toString()).isEqualTo("alias/a\n");
  }
}
