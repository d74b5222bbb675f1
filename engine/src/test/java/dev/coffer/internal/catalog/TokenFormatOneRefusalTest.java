package dev.coffer.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.EngineAccess;
import dev.coffer.ReencryptOptions;
import dev.coffer.fixture.FormatFixture;
import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What makes the store's ClientRequestToken records refuse envelope format 1 ({@code
 * TokenRecordFormatOneTest} has the refusal itself): every table refusing it. The format-2 fixture
 * store (every record of format 1, written by older code) does not until each of its tables was
 * re-encrypted; then it does.
 */
class TokenFormatOneRefusalTest {
  private static final Path FIXTURE = Path.of("src/test/resources/fixtures/format2");

  @TempDir Path dir;

  @Test
  void tokenRecordsRefuseFormatOneOnceEveryTableDoes() throws Exception {
    FormatFixture.copy(FIXTURE, dir);
    try (LocalKeyProvider keys =
            FormatFixture.provider(dir.resolve("keystore"), FormatFixture.rawKey(dir));
        Coffer c =
            Coffer.open(
                dir.resolve("store"),
                CofferOptions.builder()
                    .keyProvider(keys)
                    .masterKeyId(FormatFixture.MASTER_KEY)
                    .createIfMissing(false)
                    .build())) {
      Catalog catalog = EngineAccess.catalog(c);
      assertThat(catalog.tokenRecords()).isNotNull();
      assertThat(c.listTables()).hasSizeGreaterThan(1);
      assertThat(catalog.everyTableRefusesOlderEnvelopes()).isFalse();
      for (String name : c.listTables()) {
        assertThat(catalog.everyTableRefusesOlderEnvelopes()).as("before " + name).isFalse();
        c.table(name).reencrypt(ReencryptOptions.defaults());
      }
      assertThat(catalog.everyTableRefusesOlderEnvelopes()).isTrue();
    }
  }
}
