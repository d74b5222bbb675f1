/**
 * Coffer's own commands over a store: {@code verify} (every page authenticates), {@code info},
 * {@code export} and {@code import} (DynamoDB's JSON-lines export format) and {@code audit} (the
 * key providers' audit file).
 */
package dev.coffer.cli.store;
