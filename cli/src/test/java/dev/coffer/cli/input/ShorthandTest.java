package dev.coffer.cli.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.cli.CliInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShorthandTest {
  @Test
  void mapsInShorthandJsonOrFromAFile(@TempDir Path dir) throws Exception {
    assertThat(Shorthand.stringMap("--x", "a=1,b=2"))
        .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    assertThat(Shorthand.stringMap("--x", "{\"a\": \"1\", \"b\": \"x=y\"}"))
        .containsEntry("b", "x=y");
    Path f = dir.resolve("ctx.json");
    Files.writeString(f, "{\"table\": \"users\"}\n");
    assertThat(Shorthand.stringMap("--x", "file://" + f))
        .containsExactly(Map.entry("table", "users"));
  }

  @Test
  void malformedMapsAreRejectedWithTheOptionName() {
    assertThatThrownBy(() -> Shorthand.stringMap("--ctx", "a=1,b"))
        .isInstanceOf(CliInputException.class)
        .hasMessage(
            "Error parsing parameter '--ctx': Expected: 'key=value', received: 'b'"
                + " (write k=v,k2=v2 or a JSON object)");
    assertThatThrownBy(() -> Shorthand.stringMap("--ctx", "{\"a\": 1}"))
        .hasMessage("Error parsing parameter '--ctx': the value of 'a' must be a string");
  }

  @Test
  void tagsInBothSpellings() {
    assertThat(
            Shorthand.tags(
                "--tags",
                List.of("TagKey=a,TagValue=1", "[{\"TagKey\": \"b\", \"TagValue\": \"2\"}]")))
        .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    assertThatThrownBy(() -> Shorthand.tags("--tags", List.of("Key=a,Value=1")))
        .hasMessageStartingWith(
            "Error parsing parameter '--tags': Expected: 'TagKey=key,TagValue=value'");
  }

  @Test
  void blobsAndTextFromFilesOrInline(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("b.bin");
    Files.write(f, new byte[] {0, 1, (byte) 0xff});
    assertThat(ParamFiles.blob("--b", "fileb://" + f)).containsExactly(0, 1, 0xff);
    assertThat(ParamFiles.blob("--b", "AAH/")).containsExactly(0, 1, 0xff);
    assertThat(ParamFiles.text("--t", "inline")).isEqualTo("inline");
    Files.writeString(f, "text");
    assertThat(ParamFiles.text("--t", "file://" + f)).isEqualTo("text");
  }
}
