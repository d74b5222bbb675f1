package dev.coffer.kms.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The response shapes of the AWS KMS API (2014-11-01), member names and JSON types, as in the
 * service model ({@code botocore/data/kms/2014-11-01/service-2.json}) and the API reference. A
 * member marked {@code !} must be present in this endpoint's answers (KMS always returns it).
 */
final class WireShapes {
  /**
   * A structure: member name to type ({@code string, boolean, integer, timestamp, blob, list<X>,
   * X}).
   */
  record Shape(String name, Map<String, String> members, Set<String> present) {}

  private static final Map<String, Shape> SHAPES = new LinkedHashMap<>();

  static {
    shape(
        "KeyMetadata",
        "AWSAccountId:string!",
        "KeyId:string!",
        "Arn:string!",
        "CreationDate:timestamp!",
        "Enabled:boolean!",
        "Description:string!",
        "KeyUsage:string!",
        "KeyState:string!",
        "DeletionDate:timestamp",
        "ValidTo:timestamp",
        "Origin:string!",
        "CustomKeyStoreId:string",
        "CloudHsmClusterId:string",
        "ExpirationModel:string",
        "KeyManager:string!",
        "CustomerMasterKeySpec:string!",
        "KeySpec:string!",
        "EncryptionAlgorithms:list<string>!",
        "SigningAlgorithms:list<string>",
        "KeyAgreementAlgorithms:list<string>",
        "MultiRegion:boolean!",
        "MultiRegionConfiguration:object",
        "PendingDeletionWindowInDays:integer",
        "MacAlgorithms:list<string>",
        "XksKeyConfiguration:object",
        "CurrentKeyMaterialId:string");
    shape("KeyListEntry", "KeyId:string!", "KeyArn:string!");
    shape(
        "AliasListEntry",
        "AliasName:string!",
        "AliasArn:string!",
        "TargetKeyId:string",
        "CreationDate:timestamp",
        "LastUpdatedDate:timestamp");
    shape("CreateKeyResponse", "KeyMetadata:KeyMetadata!");
    shape("DescribeKeyResponse", "KeyMetadata:KeyMetadata!");
    shape(
        "ListKeysResponse", "Keys:list<KeyListEntry>!", "NextMarker:string", "Truncated:boolean!");
    shape(
        "ListAliasesResponse",
        "Aliases:list<AliasListEntry>!",
        "NextMarker:string",
        "Truncated:boolean!");
    shape(
        "EncryptResponse", "CiphertextBlob:blob!", "KeyId:string!", "EncryptionAlgorithm:string!");
    shape(
        "DecryptResponse",
        "KeyId:string!",
        "Plaintext:blob!",
        "EncryptionAlgorithm:string!",
        "CiphertextForRecipient:blob",
        "KeyMaterialId:string");
    shape(
        "ReEncryptResponse",
        "CiphertextBlob:blob!",
        "SourceKeyId:string!",
        "KeyId:string!",
        "SourceEncryptionAlgorithm:string!",
        "DestinationEncryptionAlgorithm:string!",
        "SourceKeyMaterialId:string",
        "DestinationKeyMaterialId:string");
    shape(
        "GenerateDataKeyResponse",
        "CiphertextBlob:blob!",
        "Plaintext:blob!",
        "KeyId:string!",
        "CiphertextForRecipient:blob",
        "KeyMaterialId:string");
    shape(
        "GenerateDataKeyWithoutPlaintextResponse",
        "CiphertextBlob:blob!",
        "KeyId:string!",
        "KeyMaterialId:string");
    shape(
        "GetKeyRotationStatusResponse",
        "KeyRotationEnabled:boolean!",
        "KeyId:string!",
        "RotationPeriodInDays:integer",
        "NextRotationDate:timestamp",
        "OnDemandRotationStartDate:timestamp");
    shape("RotateKeyOnDemandResponse", "KeyId:string!");
    shape(
        "ScheduleKeyDeletionResponse",
        "KeyId:string!",
        "DeletionDate:timestamp!",
        "KeyState:string!",
        "PendingWindowInDays:integer!");
    shape("CancelKeyDeletionResponse", "KeyId:string!");
    shape("GetKeyPolicyResponse", "Policy:string!", "PolicyName:string!");
    shape("Tag", "TagKey:string!", "TagValue:string!");
    shape("ListResourceTagsResponse", "Tags:list<Tag>!", "NextMarker:string", "Truncated:boolean!");
    shape(
        "RotationsListEntry",
        "KeyId:string!",
        "RotationDate:timestamp!",
        "RotationType:string!",
        "KeyMaterialId:string",
        "KeyMaterialDescription:string",
        "ImportState:string",
        "KeyMaterialState:string",
        "ExpirationModel:string",
        "ValidTo:timestamp");
    shape(
        "ListKeyRotationsResponse",
        "Rotations:list<RotationsListEntry>!",
        "NextMarker:string",
        "Truncated:boolean!");
    shape(
        "ListKeyPoliciesResponse",
        "PolicyNames:list<string>!",
        "NextMarker:string",
        "Truncated:boolean!");
    shape("GenerateRandomResponse", "Plaintext:blob!", "CiphertextForRecipient:blob");
    shape("Empty");
    shape("Error", "__type:string!", "message:string!");
  }

  private WireShapes() {}

  private static void shape(String name, String... members) {
    Map<String, String> m = new LinkedHashMap<>();
    Set<String> present = new HashSet<>();
    for (String s : members) {
      String[] p = s.split(":");
      String type = p[1];
      if (type.endsWith("!")) {
        type = type.substring(0, type.length() - 1);
        present.add(p[0]);
      }
      m.put(p[0], type);
    }
    SHAPES.put(name, new Shape(name, m, present));
  }

  /**
   * Asserts that {@code node} is a {@code shapeName}: no unknown members, right types, required
   * present.
   */
  static void assertShape(JsonNode node, String shapeName) {
    Shape shape = SHAPES.get(shapeName);
    assertThat(shape).as("shape " + shapeName).isNotNull();
    assertThat(node.isObject()).as(shapeName + " is a JSON object").isTrue();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      assertThat(shape.members()).as(shapeName + " has member " + f).containsKey(f);
      assertType(node.get(f), shape.members().get(f), shapeName + "." + f);
    }
    for (String f : shape.present()) {
      assertThat(node.has(f)).as(shapeName + "." + f + " is present").isTrue();
    }
  }

  private static void assertType(JsonNode v, String type, String where) {
    switch (type) {
      case "string" -> assertThat(v.isTextual()).as(where + " is a string").isTrue();
      case "boolean" -> assertThat(v.isBoolean()).as(where + " is a boolean").isTrue();
      case "integer" -> assertThat(v.isIntegralNumber()).as(where + " is an integer").isTrue();
      case "timestamp" -> {
        assertThat(v.isNumber()).as(where + " is epoch seconds").isTrue();
        assertThat(v.asDouble()).as(where + " is after 2020 in seconds").isBetween(1.5e9, 1e11);
      }
      case "blob" -> {
        assertThat(v.isTextual()).as(where + " is base64").isTrue();
        assertThat(Base64.getDecoder().decode(v.asText())).as(where + " decodes").isNotEmpty();
      }
      case "object" -> assertThat(v.isObject()).as(where + " is an object").isTrue();
      default -> {
        if (type.startsWith("list<")) {
          assertThat(v.isArray()).as(where + " is a list").isTrue();
          String inner = type.substring(5, type.length() - 1);
          int i = 0;
          for (JsonNode e : v) {
            assertType(e, inner, where + "[" + i++ + "]");
          }
        } else {
          assertShape(v, type);
        }
      }
    }
  }
}
