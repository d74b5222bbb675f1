package dev.coffer.kms.internal;

/**
 * Who makes a call: the principal's ARN, and the region the caller's view of the keys names in
 * ARNs (the keystore's own region unless a server presents it under another). Immutable.
 */
record Actor(String principal, String region) {}
