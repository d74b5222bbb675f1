package dev.coffer.torture;

/** The steps the child's lifecycle thread takes, by journal name. */
public enum LifecycleStep {
  /**
   * {@code Coffer.rotateMasterKey()} or {@code rotateMasterKey(target)}; argument: target key or
   * {@code =}.
   */
  REWRAP,
  /**
   * {@code RotateKeyOnDemand} on the master key in the keystore (no store change); argument: key
   * id.
   */
  KEY_MATERIAL,
  /** {@code Table.rotateDataKey()}; argument: table; result: the new primary version. */
  ROTATE,
  /**
   * {@code Table.reencrypt(...)}; argument: table; result: finished, target version, destroyed
   * versions.
   */
  REENCRYPT,
  /** {@code Coffer.createTable(...)}; argument: table. */
  CREATE,
  /** {@code Coffer.deleteTable(...)}; argument: table. */
  DROP
}
