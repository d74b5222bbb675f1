package dev.coffer;

import java.time.Duration;

/**
 * What {@link Coffer#rotateMasterKey()} did: how many wrapped keys it re-wrapped (the store key,
 * every live data-key version, every index key), under which master key and provider, and how long
 * it took. No page was read or written. Immutable and thread-safe.
 *
 * @param keysRewrapped the number of wrapped keys re-wrapped
 * @param masterKeyId the master key (as the provider names it, e.g. its ARN) that wraps them now
 * @param providerScheme the scheme of the provider that must open the store from now on
 * @param duration how long the rotation took
 */
public record MasterKeyRotation(
    int keysRewrapped, String masterKeyId, String providerScheme, Duration duration) {}
