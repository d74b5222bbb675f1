/**
 * Key lifecycle commands: {@code coffer rotate master-key}, {@code coffer rotate data-key} and
 * {@code coffer reencrypt}, over the engine's rotation and re-encryption API.
 */
package dev.coffer.cli.lifecycle;
