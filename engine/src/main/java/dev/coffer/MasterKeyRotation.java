package dev.coffer;

import java.time.Duration;

/**
 * What {@link Coffer#rotateMasterKey()} did: how many wrapped keys it re-wrapped (every live
 * data-key version, every index key, and the store key unless it renewed it), whether it renewed
 * the store key, under which master key and provider, and how long it took. No page was read or
 * written. Immutable and thread-safe.
 *
 * @param keysRewrapped the number of wrapped keys re-wrapped
 * @param masterKeyId the master key (as the provider names it, e.g. its ARN) that wraps them now
 * @param providerScheme the scheme of the provider that must open the store from now on
 * @param duration how long the rotation took
 * @param storeKeyRenewed whether the store key was renewed rather than re-wrapped: once, for an
 *     embedded store created before its store key's encryption context said that it keeps a sealed
 *     state, a new store key was generated under the master key and the store's own records sealed
 *     with the old one were re-sealed with it (docs/key-lifecycle.md)
 * @param recordsResealed the records re-sealed with the renewed store key (the header, catalog
 *     entries, "creating" markers, ClientRequestToken records and the sealed state); 0 unless
 *     {@code storeKeyRenewed}
 */
public record MasterKeyRotation(
    int keysRewrapped,
    String masterKeyId,
    String providerScheme,
    Duration duration,
    boolean storeKeyRenewed,
    int recordsResealed) {}
