package dev.coffer.cli.output;

import com.fasterxml.jackson.databind.JsonNode;

/** Scalars as the AWS CLI's text and table outputs show them (Python's {@code str()}). */
final class Scalars {
  private Scalars() {}

  static boolean isScalar(JsonNode n) {
    return n == null || !(n.isObject() || n.isArray());
  }

  /** {@code true} becomes {@code True}, null becomes {@code None}, strings are shown raw. */
  static String str(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "None";
    }
    if (n.isBoolean()) {
      return n.booleanValue() ? "True" : "False";
    }
    return n.asText();
  }
}
