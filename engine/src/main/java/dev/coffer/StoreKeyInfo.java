package dev.coffer;

import java.time.Instant;

/**
 * The store's master key, as {@link Coffer#keyInfo()} reports it. Immutable.
 *
 * @param masterKeyId the master key that wraps the store key, as the provider named it (an ARN)
 * @param providerScheme the scheme of the provider that must open the store
 * @param lastMasterKeyRotation the time of the last {@link Coffer#rotateMasterKey()}, or null
 * @param accessCheckInterval how often the right to use the master key is re-checked
 */
public record StoreKeyInfo(
    String masterKeyId,
    String providerScheme,
    Instant lastMasterKeyRotation,
    java.time.Duration accessCheckInterval) {}
