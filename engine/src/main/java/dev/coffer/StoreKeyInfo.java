package dev.coffer;

import java.time.Duration;
import java.time.Instant;

/**
 * The store's master key, as {@link Coffer#keyInfo()} reports it. Immutable.
 *
 * <p>Every field is authenticated: the first three come from the plaintext store header, which the
 * store's sealed state vouches for (its SHA-256, sealed with the catalog key), so a header changed
 * on disk fails {@link Coffer#open} with {@link CorruptionException} instead of being reported
 * here. (A store written before the sealed state existed is vouched for from its first open by this
 * version on.)
 *
 * @param masterKeyId the master key that wraps the store key, as the provider named it (an ARN)
 * @param providerScheme the scheme of the provider that must open the store
 * @param lastMasterKeyRotation the time of the last {@link Coffer#rotateMasterKey()}, or null
 * @param accessCheckInterval how often the right to use the master key is re-checked (from the
 *     options)
 */
public record StoreKeyInfo(
    String masterKeyId,
    String providerScheme,
    Instant lastMasterKeyRotation,
    Duration accessCheckInterval) {}
