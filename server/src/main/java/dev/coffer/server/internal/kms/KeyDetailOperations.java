package dev.coffer.server.internal.kms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.KeyManagement.KeyRotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operations on a key's details, with the shapes of the AWS KMS API reference: TagResource,
 * UntagResource, ListResourceTags ({@code Limit} 1 to 50), UpdateKeyDescription, ListKeyRotations
 * and ListKeyPolicies ({@code Limit} 1 to 1000).
 */
final class KeyDetailOperations {
  private static final int MAX_TAG_KEY = 128;
  private static final int MAX_DESCRIPTION = 8192;

  private KeyDetailOperations() {}

  static void register(Operations ops) {
    ops.add("TagResource", KeyDetailOperations::tagResource);
    ops.add("UntagResource", KeyDetailOperations::untagResource);
    ops.add("ListResourceTags", KeyDetailOperations::listResourceTags);
    ops.add("UpdateKeyDescription", KeyDetailOperations::updateKeyDescription);
    ops.add("ListKeyRotations", KeyDetailOperations::listKeyRotations);
    ops.add("ListKeyPolicies", KeyDetailOperations::listKeyPolicies);
  }

  static ObjectNode tagResource(Request r, Caller c) {
    String keyId = KeyOperations.keyId(r);
    if (!r.has("Tags")) {
      throw KmsError.validation(
          "1 validation error detected: Value null at 'tags' failed to satisfy constraint:"
              + " Member must not be null");
    }
    c.keys().tagResource(keyId, r.tags("Tags"));
    return null;
  }

  static ObjectNode untagResource(Request r, Caller c) {
    String keyId = KeyOperations.keyId(r);
    c.keys().untagResource(keyId, r.requiredStrings("TagKeys", 50, MAX_TAG_KEY));
    return null;
  }

  static ObjectNode listResourceTags(Request r, Caller c) {
    String keyId = KeyOperations.keyId(r);
    List<Map.Entry<String, String>> tags =
        new ArrayList<>(c.keys().listResourceTags(keyId).entrySet());
    return KeyOperations.page(r, tags, "Tags", Shapes::tag, 50, 50);
  }

  static ObjectNode updateKeyDescription(Request r, Caller c) {
    String keyId = KeyOperations.keyId(r);
    String description = r.string("Description");
    if (description == null) {
      throw KmsError.validation(
          "1 validation error detected: Value null at 'description' failed to satisfy"
              + " constraint: Member must not be null");
    }
    if (description.length() > MAX_DESCRIPTION) {
      throw KmsError.validation(
          "1 validation error detected: Value at 'description' failed to satisfy constraint:"
              + " Member must have length less than or equal to "
              + MAX_DESCRIPTION);
    }
    c.keys().updateKeyDescription(keyId, description);
    return null;
  }

  static ObjectNode listKeyRotations(Request r, Caller c) {
    String keyId = KeyOperations.keyId(r);
    String include = r.string("IncludeKeyMaterial");
    if (include != null
        && !include.equals("ROTATIONS_ONLY")
        && !include.equals("ALL_KEY_MATERIAL")) {
      throw KmsError.validation(
          "1 validation error detected: Value '"
              + include
              + "' at 'includeKeyMaterial' failed"
              + " to satisfy constraint: Member must satisfy enum value set: [ALL_KEY_MATERIAL, ROTATIONS_ONLY]");
    }
    List<KeyRotation> rotations = c.keys().listKeyRotations(keyId);
    return KeyOperations.page(r, rotations, "Rotations", KeyDetailOperations::rotation);
  }

  static ObjectNode listKeyPolicies(Request r, Caller c) {
    String keyId = KeyOperations.keyId(r);
    return KeyOperations.page(
        r,
        c.keys().listKeyPolicies(keyId),
        "PolicyNames",
        name -> Shapes.JSON.getNodeFactory().textNode(name));
  }

  /** A {@code RotationsListEntry}. */
  private static ObjectNode rotation(KeyRotation k) {
    ObjectNode e = Shapes.object();
    e.put("KeyId", k.keyId());
    e.put("RotationDate", Shapes.epochSeconds(k.rotationDate()));
    e.put("RotationType", k.rotationType());
    return e;
  }
}
