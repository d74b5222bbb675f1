package dev.coffer.kms.internal;

import com.google.protobuf.ByteString;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.proto.Alias;
import dev.coffer.proto.KeystoreContents;
import dev.coffer.proto.MasterKey;
import dev.coffer.proto.MasterKeyState;
import dev.coffer.proto.MasterKeyVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The changes that fall due with time, as AWS KMS makes them: automatic rotation (one new version
 * per elapsed period, dated when it fell due) and the end of a deletion waiting period (material
 * destroyed, the key's aliases removed). Applied lazily by {@link RingState} at the first call
 * after they fall due. Also makes new key versions. Stateless.
 */
final class Schedule {
  private Schedule() {}

  /** The first time a scheduled change falls due in {@code c}; {@code Long.MAX_VALUE} for never. */
  static long nextDue(KeystoreContents c) {
    long due = Long.MAX_VALUE;
    for (MasterKey k : c.getKeysList()) {
      if (k.getState() == MasterKeyState.MASTER_KEY_STATE_PENDING_DELETION) {
        due = Math.min(due, k.getDeletionMillis());
      } else if (k.getState() == MasterKeyState.MASTER_KEY_STATE_ENABLED
          && k.getRotationEnabled()) {
        due = Math.min(due, k.getNextRotationMillis());
      }
    }
    return due;
  }

  /**
   * Applies automatic rotations and finished deletion waiting periods due at {@code now}; returns
   * {@code c} itself when nothing is due. Adds one service audit event per change to {@code
   * events}.
   */
  static KeystoreContents applyDue(
      KeystoreContents c, long now, RingAudit audit, List<AuditRecord> events) {
    if (now < nextDue(c)) {
      return c;
    }
    KeystoreContents.Builder b = c.toBuilder();
    List<String> deleted = new ArrayList<>();
    for (int i = 0; i < b.getKeysCount(); i++) {
      MasterKey k = b.getKeys(i);
      String arn = Arns.keyArn(c.getRegion(), c.getAccountId(), k.getKeyId());
      if (k.getState() == MasterKeyState.MASTER_KEY_STATE_PENDING_DELETION
          && now >= k.getDeletionMillis()) {
        MasterKey.Builder kb = k.toBuilder().setState(MasterKeyState.MASTER_KEY_STATE_DELETED);
        for (int v = 0; v < kb.getVersionsCount(); v++) {
          kb.setVersions(v, kb.getVersions(v).toBuilder().setMaterial(ByteString.EMPTY));
        }
        b.setKeys(i, kb.setRotationEnabled(false).setNextRotationMillis(0));
        deleted.add(k.getKeyId());
        events.add(
            audit.serviceEvent(
                "kms:DeleteKey",
                arn,
                k.getVersionsCount(),
                now,
                "waiting period ended; key material destroyed"));
      } else if (k.getState() == MasterKeyState.MASTER_KEY_STATE_ENABLED
          && k.getRotationEnabled()
          && now >= k.getNextRotationMillis()) {
        MasterKey.Builder kb = k.toBuilder();
        long period = Duration.ofDays(k.getRotationPeriodDays()).toMillis();
        long next = k.getNextRotationMillis();
        while (next <= now) {
          kb.addVersions(newVersion(kb.getVersionsCount() + 1, next, "AUTOMATIC"));
          next += period;
        }
        b.setKeys(i, kb.setNextRotationMillis(next));
        events.add(
            audit.serviceEvent(
                "kms:RotateKey", arn, kb.getVersionsCount(), now, "automatic rotation"));
      }
    }
    if (events.isEmpty()) {
      return c;
    }
    List<Alias> kept = new ArrayList<>();
    for (Alias al : b.getAliasesList()) {
      if (!deleted.contains(al.getTargetKeyId())) {
        kept.add(al);
      }
    }
    b.clearAliases().addAllAliases(kept);
    return b.build();
  }

  /** A new version with fresh random material; the temporary copy of the material is wiped. */
  static MasterKeyVersion newVersion(int version, long createdMillis, String type) {
    byte[] material = AesGcm.randomBytes(AesGcm.KEY_BYTES);
    try {
      return MasterKeyVersion.newBuilder()
          .setVersion(version)
          .setMaterial(ByteString.copyFrom(material))
          .setCreatedMillis(createdMillis)
          .setRotationType(type)
          .build();
    } finally {
      SecretBytes.wipe(material);
    }
  }
}
