package dev.coffer.example.signup;

import dev.coffer.testkit.Dynalite;
import java.nio.file.Path;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Where the application's DynamoDB and KMS calls go in a test, and the application's clients there.
 *
 * <ul>
 *   <li>{@link Kind#COFFER_SERVE}: both to one {@code coffer serve} ({@link CofferServe}).
 *   <li>{@link Kind#DYNALITE}: DynamoDB to dynalite (an independent DynamoDB implementation, which
 *       has no KMS), KMS to a {@code coffer serve} used for its KMS only.
 * </ul>
 *
 * <p>The application's KMS key is created by the key administrator with the tutorial's policy, and
 * the users table by the application, before the test starts.
 */
final class Backend implements AutoCloseable {
  /** Which implementation serves DynamoDB. */
  enum Kind {
    DYNALITE,
    COFFER_SERVE
  }

  final Kind kind;
  final CofferServe coffer;
  private final Dynalite dynalite;
  final DynamoDbClient dynamo;
  final KmsClient kms;
  final String appKeyArn;

  private Backend(Kind kind, Path dir) {
    this.kind = kind;
    Dynalite d = kind == Kind.DYNALITE ? Dynalite.start() : null; // skips the test without node/npm
    this.dynalite = d;
    try {
      this.coffer = new CofferServe(dir);
    } catch (RuntimeException e) {
      if (d != null) {
        d.close();
      }
      throw e;
    }
    this.appKeyArn = coffer.createAppKey();
    this.dynamo = d != null ? CofferServe.dynamo(d.endpoint(), "app") : coffer.dynamo("app");
    this.kms = coffer.kms("app");
    Accounts.createTable(dynamo, "users");
  }

  static Backend start(Kind kind, Path dir) {
    return new Backend(kind, dir);
  }

  /** The application's accounts over this backend, with its key {@code alias/signup-login}. */
  Accounts accounts() {
    return new Accounts(
        dynamo, "users", new PasswordHasher(), new FieldEnvelope(kms, "alias/signup-login"));
  }

  @Override
  public void close() {
    dynamo.close();
    kms.close();
    try {
      coffer.close();
    } finally {
      if (dynalite != null) {
        dynalite.close();
      }
    }
  }

  @Override
  public String toString() {
    return kind == Kind.DYNALITE
        ? "dynalite (DynamoDB) + coffer serve (KMS)"
        : "coffer serve (DynamoDB and KMS)";
  }
}
