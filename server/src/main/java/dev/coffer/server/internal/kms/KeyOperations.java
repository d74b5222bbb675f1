package dev.coffer.server.internal.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyManagement.AliasEntry;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyManagement.KeyRotationStatus;
import dev.coffer.kms.KeyState;
import dev.coffer.kms.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * The key-management operations: CreateKey, DescribeKey, ListKeys, CreateAlias, UpdateAlias,
 * DeleteAlias, ListAliases, EnableKey, DisableKey, EnableKeyRotation, DisableKeyRotation,
 * GetKeyRotationStatus, RotateKeyOnDemand, ScheduleKeyDeletion, CancelKeyDeletion, GetKeyPolicy,
 * PutKeyPolicy; the key details (tags, description, rotation list, policy names) are {@link
 * KeyDetailOperations}'.
 */
final class KeyOperations {
  private static final int MAX_POLICY = 32768;
  private static final int MAX_DESCRIPTION = 8192;

  private KeyOperations() {}

  static void register(Operations ops) {
    ops.add("CreateKey", KeyOperations::createKey);
    ops.add("DescribeKey", (r, c) -> keyMetadata(c.keys().describeKey(keyId(r))));
    ops.add("ListKeys", KeyOperations::listKeys);
    ops.add("CreateAlias", KeyOperations::createAlias);
    ops.add("ListAliases", KeyOperations::listAliases);
    ops.add(
        "UpdateAlias",
        (r, c) -> {
          c.keys()
              .updateAlias(
                  r.requiredString("AliasName", 256),
                  r.requiredString("TargetKeyId", CryptoOperations.MAX_KEY_ID));
          return null;
        });
    ops.add(
        "DeleteAlias",
        (r, c) -> {
          c.keys().deleteAlias(r.requiredString("AliasName", 256));
          return null;
        });
    ops.add(
        "EnableKey",
        (r, c) -> {
          c.keys().enableKey(keyId(r));
          return null;
        });
    ops.add(
        "DisableKey",
        (r, c) -> {
          c.keys().disableKey(keyId(r));
          return null;
        });
    ops.add("EnableKeyRotation", KeyOperations::enableKeyRotation);
    ops.add(
        "DisableKeyRotation",
        (r, c) -> {
          c.keys().disableKeyRotation(keyId(r));
          return null;
        });
    ops.add("GetKeyRotationStatus", KeyOperations::getKeyRotationStatus);
    ops.add(
        "RotateKeyOnDemand",
        (r, c) -> {
          ObjectNode out = Shapes.object();
          out.put("KeyId", c.keys().rotateKeyOnDemand(keyId(r)));
          return out;
        });
    ops.add("ScheduleKeyDeletion", KeyOperations::scheduleKeyDeletion);
    ops.add("CancelKeyDeletion", KeyOperations::cancelKeyDeletion);
    ops.add("GetKeyPolicy", KeyOperations::getKeyPolicy);
    ops.add("PutKeyPolicy", KeyOperations::putKeyPolicy);
    KeyDetailOperations.register(ops);
  }

  static String keyId(Request r) {
    return r.requiredString("KeyId", CryptoOperations.MAX_KEY_ID);
  }

  private static ObjectNode keyMetadata(KeyDescription d) {
    ObjectNode out = Shapes.object();
    out.set("KeyMetadata", Shapes.keyMetadata(d));
    return out;
  }

  static ObjectNode createKey(Request r, Caller c) {
    String policy = r.string("Policy");
    if (policy != null && (policy.isEmpty() || policy.length() > MAX_POLICY)) {
      throw KmsError.validation(
          "1 validation error detected: Value at 'policy' failed to satisfy constraint:"
              + " Member must have length between 1 and "
              + MAX_POLICY);
    }
    String description = r.string("Description");
    if (description != null && description.length() > MAX_DESCRIPTION) {
      throw KmsError.validation(
          "1 validation error detected: Value at 'description' failed to satisfy constraint:"
              + " Member must have length less than or equal to "
              + MAX_DESCRIPTION);
    }
    only(r, "KeyUsage", "ENCRYPT_DECRYPT");
    only(r, "KeySpec", Shapes.SYMMETRIC_DEFAULT);
    only(r, "CustomerMasterKeySpec", Shapes.SYMMETRIC_DEFAULT);
    only(r, "Origin", "AWS_KMS");
    if (Boolean.TRUE.equals(r.bool("MultiRegion"))) {
      throw KmsError.unsupported("Multi-Region keys are not supported by this endpoint.");
    }
    if (r.has("CustomKeyStoreId") || r.has("XksKeyId")) {
      throw KmsError.unsupported("Custom key stores are not supported by this endpoint.");
    }
    r.bool("BypassPolicyLockoutSafetyCheck");
    KeyDescription d =
        c.keys().createKey(new CreateKeyRequest(description, policy, r.tags("Tags")));
    return keyMetadata(d);
  }

  static ObjectNode listKeys(Request r, Caller c) {
    return page(r, c.keys().listKeys(), "Keys", Shapes::keyListEntry);
  }

  static ObjectNode listAliases(Request r, Caller c) {
    String keyId = r.string("KeyId");
    List<AliasEntry> aliases = c.keys().listAliases(keyId);
    return page(r, aliases, "Aliases", Shapes::aliasListEntry);
  }

  static ObjectNode createAlias(Request r, Caller c) {
    String alias = r.requiredString("AliasName", 256);
    String target = r.requiredString("TargetKeyId", CryptoOperations.MAX_KEY_ID);
    c.keys().createAlias(alias, target);
    return null;
  }

  static ObjectNode enableKeyRotation(Request r, Caller c) {
    String keyId = keyId(r);
    Integer days = r.integer("RotationPeriodInDays", 90, 2560);
    c.keys()
        .enableKeyRotation(keyId, days == null ? KeyManagement.DEFAULT_ROTATION_PERIOD_DAYS : days);
    return null;
  }

  static ObjectNode getKeyRotationStatus(Request r, Caller c) {
    String keyId = keyId(r);
    KeyRotationStatus s = c.keys().getKeyRotationStatus(keyId);
    ObjectNode out = Shapes.object();
    out.put("KeyRotationEnabled", s.keyRotationEnabled());
    out.put("KeyId", c.keyArn(s.keyId()));
    if (s.keyRotationEnabled()) {
      out.put("RotationPeriodInDays", s.rotationPeriodInDays());
      if (s.nextRotationDate() != null) {
        out.put("NextRotationDate", Shapes.epochSeconds(s.nextRotationDate()));
      }
    }
    if (s.onDemandRotationStartDate() != null) {
      out.put("OnDemandRotationStartDate", Shapes.epochSeconds(s.onDemandRotationStartDate()));
    }
    return out;
  }

  static ObjectNode scheduleKeyDeletion(Request r, Caller c) {
    String keyId = keyId(r);
    Integer window = r.integer("PendingWindowInDays", 7, 30);
    int days = window == null ? 30 : window;
    Instant when = c.keys().scheduleKeyDeletion(keyId, days);
    ObjectNode out = Shapes.object();
    out.put("KeyId", c.keyArn(keyId));
    out.put("DeletionDate", Shapes.epochSeconds(when));
    out.put("KeyState", KeyState.PENDING_DELETION.awsName());
    out.put("PendingWindowInDays", days);
    return out;
  }

  static ObjectNode cancelKeyDeletion(Request r, Caller c) {
    String keyId = keyId(r);
    c.keys().cancelKeyDeletion(keyId);
    ObjectNode out = Shapes.object();
    out.put("KeyId", c.keyArn(keyId));
    return out;
  }

  static ObjectNode getKeyPolicy(Request r, Caller c) {
    String keyId = keyId(r);
    String name = policyName(r, keyId);
    ObjectNode out = Shapes.object();
    out.put("Policy", c.keys().getKeyPolicy(keyId));
    out.put("PolicyName", name);
    return out;
  }

  static ObjectNode putKeyPolicy(Request r, Caller c) {
    String keyId = keyId(r);
    String policy = r.requiredString("Policy", MAX_POLICY);
    policyName(r, keyId);
    r.bool("BypassPolicyLockoutSafetyCheck");
    c.keys().putKeyPolicy(keyId, policy);
    return null;
  }

  private static String policyName(Request r, String keyId) {
    String name = r.string("PolicyName");
    if (name != null && !name.equals("default")) {
      throw new NotFoundException(
          "No such policy exists: " + name + ". The only valid policy name is default.",
          keyId,
          null);
    }
    return "default";
  }

  private static void only(Request r, String member, String allowed) {
    String v = r.string(member);
    if (v != null && !v.equals(allowed)) {
      throw KmsError.unsupported(
          member + " " + v + " is not supported by this endpoint; only " + allowed + ".");
    }
  }

  /** One page of a list: {@code Limit} (1 to 1000, default 100) and an opaque {@code Marker}. */
  static <T> ObjectNode page(Request r, List<T> all, String member, Function<T, JsonNode> shape) {
    return page(r, all, member, shape, 1000, 100);
  }

  /**
   * One page of a list: {@code Limit} (1 to {@code max}, default {@code dflt}) and an opaque {@code
   * Marker}.
   */
  static <T> ObjectNode page(
      Request r, List<T> all, String member, Function<T, JsonNode> shape, int max, int dflt) {
    Integer limit = r.integer("Limit", 1, max);
    int size = limit == null ? dflt : limit;
    int from = marker(r.string("Marker"), all.size());
    int to = Math.min(all.size(), from + size);
    ObjectNode out = Shapes.object();
    ArrayNode items = out.putArray(member);
    for (T t : all.subList(from, to)) {
      items.add(shape.apply(t));
    }
    boolean truncated = to < all.size();
    out.put("Truncated", truncated);
    if (truncated) {
      out.put(
          "NextMarker",
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(("offset:" + to).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  private static int marker(String marker, int size) {
    if (marker == null) {
      return 0;
    }
    try {
      String s = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
      int offset = Integer.parseInt(s.substring("offset:".length()));
      if (!s.startsWith("offset:") || offset < 0 || offset > size) {
        throw new IllegalArgumentException(s);
      }
      return offset;
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new KmsError("InvalidMarkerException", "The marker is not valid: " + marker, 400);
    }
  }
}
