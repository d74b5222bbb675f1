/**
 * {@code coffer kms}: one command class per AWS KMS operation, with {@code aws kms}'s argument
 * names and output shapes, over the {@link dev.coffer.kms.KeyProvider} SPI and, for the
 * administrative operations, {@link dev.coffer.kms.KeyManagement}.
 */
package dev.coffer.cli.kms;
