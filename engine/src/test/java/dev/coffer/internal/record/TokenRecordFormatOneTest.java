package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import dev.coffer.internal.keys.AeadKey;
import dev.coffer.proto.SealedPage;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.Test;

/**
 * ClientRequestToken records are in no digest of the store's sealed state, so the per-table refusal
 * of envelope format 1 did not reach them: a format-1 token record put back from an older copy was
 * read. Once the catalog says every table refuses format 1, a format-1 token record is refused too,
 * before its key is used; before that it is read as it was.
 */
class TokenRecordFormatOneTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /** {@code plaintext} sealed as format-1 code sealed a token record: AES-GCM under the key. */
  private static byte[] formatOne(AeadKey key, byte[] storeId, byte[] digest, byte[] plaintext)
      throws Exception {
    byte[] nonce = random(12);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
    gcm.updateAAD(AssociatedData.forEnvelope(AssociatedData.clientToken(1, storeId, digest), 1));
    return SealedPage.newBuilder()
        .setFormatVersion(1)
        .setKeyVersion(1)
        .setNonce(ByteString.copyFrom(nonce))
        .setCiphertext(ByteString.copyFrom(gcm.doFinal(plaintext)))
        .build()
        .toByteArray();
  }

  @Test
  void aFormatOneTokenRecordIsReadUntilEveryTableRefusesFormatOneAndRefusedAfter()
      throws Exception {
    MemoryRecordStore store = new MemoryRecordStore();
    byte[] storeId = random(16);
    AeadKey catalogKey = AeadKey.wrap(random(32));
    TokenRecords tokens = new TokenRecords(store, storeId, catalogKey);
    AtomicBoolean refused = new AtomicBoolean(false);
    tokens.refuseOlderWhen(refused::get);
    byte[] digest = tokens.digest("a-client-request-token");
    byte[] plaintext = "what the transaction was".getBytes(StandardCharsets.UTF_8);
    store.put(
        store.storeNamespace(),
        RecordKeys.clientToken(digest),
        formatOne(catalogKey, storeId, digest, plaintext));

    assertThat(tokens.read(digest)).isEqualTo(plaintext); // older code's record, still read

    refused.set(true);
    assertThatThrownBy(() -> tokens.read(digest))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("ClientRequestToken record is in envelope format 1")
        .hasMessageContaining("put back from an older copy");
    assertThat(tokens.scan(null, 10))
        .singleElement()
        .satisfies(s -> assertThat(s.plaintext()).isNull());

    // a record this code seals (format 2) is read either way
    RecordBatch batch = RecordBatch.create();
    tokens.put(batch, digest, plaintext);
    store.commit(batch);
    assertThat(tokens.read(digest)).isEqualTo(plaintext);
  }
}
