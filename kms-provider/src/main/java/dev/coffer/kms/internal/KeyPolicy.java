package dev.coffer.kms.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.MalformedPolicyDocumentException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An AWS-style key policy: statements with {@code Effect} (Allow or Deny), {@code Principal}
 * ({@code "*"} or {@code {"AWS": arn | [arns]}}), {@code Action} (string or list, {@code *}
 * wildcards) and {@code Resource} ({@code "*"}). An explicit Deny wins over any Allow; without an
 * Allow the action is denied. {@code Condition} and {@code NotAction}/{@code NotPrincipal} are not
 * supported and are refused rather than ignored, so a policy never grants more than it says.
 * Immutable and thread-safe.
 */
public final class KeyPolicy {
  // A duplicated key ("Effect": "Deny", ..., "Effect": "Allow") must be an error, not "last one wins":
  // the policy a reviewer reads has to be the policy enforced.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
  /** The largest policy document AWS KMS accepts, in characters. */
  public static final int MAX_POLICY_CHARS = 32768;

  private final String document;
  private final List<Statement> statements;

  private KeyPolicy(String document, List<Statement> statements) {
    this.document = document;
    this.statements = statements;
  }

  /** The policy a new key gets: its creator and the account root may do everything. */
  public static String defaultPolicy(String account, String creator) {
    ObjectNode root = JSON.createObjectNode();
    root.put("Version", "2012-10-17");
    root.put("Id", "key-default-1");
    ArrayNode st = root.putArray("Statement");
    ObjectNode s = st.addObject();
    s.put("Sid", "Enable root and creator permissions");
    s.put("Effect", "Allow");
    ArrayNode principals = s.putObject("Principal").putArray("AWS");
    principals.add(Arns.rootPrincipal(account));
    if (!creator.equals(Arns.rootPrincipal(account))) {
      principals.add(creator);
    }
    s.put("Action", "kms:*");
    s.put("Resource", "*");
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses and checks a policy document. */
  public static KeyPolicy parse(String document) {
    if (document == null || document.isEmpty()) {
      throw malformed("The key policy is empty.");
    }
    if (document.length() > MAX_POLICY_CHARS) {
      throw malformed("The key policy is longer than " + MAX_POLICY_CHARS + " characters.");
    }
    JsonNode root;
    try {
      root = JSON.readTree(document);
    } catch (JsonProcessingException e) {
      throw malformed("The key policy is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw malformed("The key policy must be a JSON object.");
    }
    JsonNode st = root.get("Statement");
    if (st == null) {
      throw malformed("The key policy has no Statement.");
    }
    List<Statement> statements = new ArrayList<>();
    for (JsonNode s : st.isArray() ? st : List.of(st)) {
      statements.add(Statement.parse(s));
    }
    return new KeyPolicy(document, List.copyOf(statements));
  }

  /** The document as given. */
  public String document() {
    return document;
  }

  /** Whether {@code principal} may perform {@code action} (e.g. {@code kms:Decrypt}). */
  public boolean allows(String principal, String action) {
    boolean allowed = false;
    for (Statement s : statements) {
      if (s.matches(principal, action)) {
        if (!s.allow) {
          return false;
        }
        allowed = true;
      }
    }
    return allowed;
  }

  private static MalformedPolicyDocumentException malformed(String message) {
    return new MalformedPolicyDocumentException(message, null, "kms:PutKeyPolicy");
  }

  private static final class Statement {
    final boolean allow;
    final List<String> principals;
    final List<Pattern> actions;

    Statement(boolean allow, List<String> principals, List<Pattern> actions) {
      this.allow = allow;
      this.principals = principals;
      this.actions = actions;
    }

    static Statement parse(JsonNode s) {
      if (!s.isObject()) {
        throw malformed("Each policy statement must be a JSON object.");
      }
      for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!List.of("Sid", "Effect", "Principal", "Action", "Resource").contains(f)) {
          throw malformed("Policy statement element '" + f + "' is not supported by this provider.");
        }
      }
      String effect = text(s.get("Effect"), "Effect");
      if (!effect.equals("Allow") && !effect.equals("Deny")) {
        throw malformed("Effect must be Allow or Deny, not '" + effect + "'.");
      }
      JsonNode p = s.get("Principal");
      List<String> principals = new ArrayList<>();
      if (p == null) {
        throw malformed("A policy statement needs a Principal.");
      } else if (p.isTextual() && p.asText().equals("*")) {
        principals.add("*");
      } else if (p.isObject() && p.has("AWS")) {
        strings(p.get("AWS"), "Principal.AWS").forEach(principals::add);
      } else {
        throw malformed("Principal must be \"*\" or {\"AWS\": ...}.");
      }
      List<Pattern> actions = new ArrayList<>();
      for (String a : strings(s.get("Action"), "Action")) {
        actions.add(glob(a));
      }
      JsonNode r = s.get("Resource");
      if (r != null) {
        for (String res : strings(r, "Resource")) {
          if (!res.equals("*")) {
            throw malformed("In a key policy, Resource must be \"*\".");
          }
        }
      }
      return new Statement(effect.equals("Allow"), List.copyOf(principals), List.copyOf(actions));
    }

    boolean matches(String principal, String action) {
      boolean who = false;
      for (String p : principals) {
        // "*", the exact ARN, or a bare 12-digit account id standing for that account's root.
        if (p.equals("*")
            || p.equals(principal)
            || (ACCOUNT_ID.matcher(p).matches() && principal.equals(Arns.rootPrincipal(p)))) {
          who = true;
          break;
        }
      }
      if (!who) {
        return false;
      }
      for (Pattern a : actions) {
        if (a.matcher(action).matches()) {
          return true;
        }
      }
      return false;
    }

    private static Pattern glob(String action) {
      StringBuilder re = new StringBuilder();
      for (char c : action.toCharArray()) {
        if (c == '*') {
          re.append(".*");
        } else if (c == '?') {
          re.append('.');
        } else {
          re.append(Pattern.quote(String.valueOf(c)));
        }
      }
      return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
    }

    private static String text(JsonNode n, String name) {
      if (n == null || !n.isTextual()) {
        throw malformed("Policy statement element " + name + " must be a string.");
      }
      return n.asText();
    }

    private static List<String> strings(JsonNode n, String name) {
      List<String> out = new ArrayList<>();
      if (n != null && n.isTextual()) {
        out.add(n.asText());
      } else if (n != null && n.isArray() && n.size() > 0) {
        for (JsonNode e : n) {
          out.add(text(e, name));
        }
      } else {
        throw malformed("Policy statement element " + name + " must be a string or a list of strings.");
      }
      return out;
    }
  }
}
