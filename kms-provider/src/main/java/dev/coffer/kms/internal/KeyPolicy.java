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
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An AWS-style policy document: a key policy (the resource side), or the account policy kept in the
 * keystore (the IAM side, {@link #parseAccountPolicy}). Immutable and thread-safe.
 *
 * <p><b>Grammar.</b> Top level: {@code Version} ({@code 2012-10-17} or {@code 2008-10-17}), {@code
 * Id}, {@code Statement} (one object or a list). A statement: {@code Sid}, {@code Effect} ({@code
 * Allow} or {@code Deny}), {@code Principal} ({@code "*"}, {@code {"AWS": "*"}}, or {@code {"AWS":
 * principal | [principals]}} with account ids, root ARNs and IAM user, role or assumed-role ARNs,
 * see {@link PolicyPrincipal}), exactly one of {@code Action} and {@code NotAction} ({@code
 * service:action} with {@code *} and {@code ?} wildcards, case-insensitive), and {@code Resource}:
 * {@code "*"} in a key policy ("this key"); in the account policy also KMS key and alias ARNs with
 * wildcards. {@code Condition}, {@code NotPrincipal}, {@code NotResource}, non-{@code AWS}
 * principals ({@code Service}, {@code Federated}, ...) and any other element are refused rather
 * than ignored, so a policy never grants or denies other than it reads. A duplicated member is
 * refused, not resolved "last one wins". A principal ARN with a wildcard or of a malformed form is
 * refused, as AWS refuses it.
 *
 * <p><b>Evaluation</b> ({@link #evaluate}) follows AWS: an explicit Deny wins, else an Allow
 * allows, else the default is deny. A statement naming an account applies to every identity of that
 * account: for a Deny at once; for an Allow in a key policy only through the account's IAM side
 * ({@link Authorizer}), as AWS's "enable IAM policies" statement does.
 */
final class KeyPolicy {
  // A duplicated key ("Effect": "Deny", ..., "Effect": "Allow") must be an error, not "last one
  // wins":
  // the policy a reviewer reads has to be the policy enforced.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  private static final Pattern ACTION = Pattern.compile("\\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+");
  private static final Pattern RESOURCE =
      Pattern.compile("\\*|arn:aws[a-z-]*:kms:[a-z0-9*?-]*:[0-9*?]*:(key|alias)/.+");
  private static final Set<String> TOP = Set.of("Version", "Id", "Statement");
  private static final Set<String> ELEMENTS =
      Set.of("Sid", "Effect", "Principal", "Action", "NotAction", "Resource");

  /** The largest policy document AWS KMS accepts, in characters. */
  static final int MAX_POLICY_CHARS = 32768;

  private static final String INVALID_PRINCIPALS =
      "Policy contains a statement with one or more invalid principals.";

  private final String document;
  private final List<Statement> statements;

  private KeyPolicy(String document, List<Statement> statements) {
    this.document = document;
    this.statements = statements;
  }

  /** The policy a new key gets: its creator and the account may do everything. */
  static String defaultPolicy(String account, String creator) {
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

  /** Parses and checks a key policy. */
  static KeyPolicy parse(String document) {
    return parse(document, false);
  }

  /** Parses and checks an account policy (the keystore's IAM side). */
  static KeyPolicy parseAccountPolicy(String document) {
    return parse(document, true);
  }

  private static KeyPolicy parse(String document, boolean account) {
    String kind = account ? "account policy" : "key policy";
    if (document == null || document.isEmpty()) {
      throw malformed("The " + kind + " is empty.");
    }
    if (document.length() > MAX_POLICY_CHARS) {
      throw malformed("The " + kind + " is longer than " + MAX_POLICY_CHARS + " characters.");
    }
    JsonNode root;
    try {
      root = JSON.readTree(document);
    } catch (JsonProcessingException e) {
      String m = String.valueOf(e.getOriginalMessage());
      int a = m.startsWith("Duplicate field '") ? m.indexOf('\'') : -1;
      int b = a < 0 ? -1 : m.indexOf('\'', a + 1);
      throw malformed(
          b > a && b - a < 130
              ? "The "
                  + kind
                  + " has a duplicated member "
                  + m.substring(a, b + 1)
                  + "; it is refused, not read as"
                  + " the last one."
              : "The "
                  + kind
                  + " is not valid JSON"
                  + (e.getLocation() == null
                      ? "."
                      : " (line "
                          + e.getLocation().getLineNr()
                          + ", column "
                          + e.getLocation().getColumnNr()
                          + ")."));
    }
    if (root == null || !root.isObject()) {
      throw malformed("The " + kind + " must be a JSON object.");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!TOP.contains(f)) {
        throw malformed("Policy element '" + f + "' is not supported by this provider.");
      }
    }
    JsonNode version = root.get("Version");
    if (version != null
        && !(version.isTextual()
            && (version.asText().equals("2012-10-17") || version.asText().equals("2008-10-17")))) {
      throw malformed("The " + kind + "'s Version must be 2012-10-17 or 2008-10-17.");
    }
    JsonNode st = root.get("Statement");
    if (st == null || (st.isArray() && st.isEmpty())) {
      throw malformed("The " + kind + " has no Statement.");
    }
    List<Statement> statements = new ArrayList<>();
    for (JsonNode s : st.isArray() ? st : List.of(st)) {
      statements.add(Statement.parse(s, account));
    }
    return new KeyPolicy(document, List.copyOf(statements));
  }

  String document() {
    return document;
  }

  /** What a policy says about one request. */
  record Verdict(boolean denied, boolean allowedDirectly, boolean allowedToAccount) {}

  /**
   * What this policy says about {@code caller} performing {@code action} on {@code resource} (an
   * ARN; ignored by key policies, whose resource is the key).
   */
  Verdict evaluate(PolicyPrincipal caller, String action, String resource) {
    boolean denied = false;
    boolean direct = false;
    boolean viaAccount = false;
    for (Statement s : statements) {
      if (!s.matchesAction(action) || !s.matchesResource(resource)) {
        continue;
      }
      for (PolicyPrincipal p : s.principals) {
        if (!s.allow) {
          denied |= p.covers(caller);
        } else if (p.names(caller)) {
          direct = true;
        } else if (p.isAccountOf(caller)) {
          viaAccount = true;
        }
      }
    }
    return new Verdict(denied, direct, viaAccount);
  }

  /** Key policy only: whether {@code caller} is allowed {@code action} by the policy alone. */
  boolean allowsDirectly(PolicyPrincipal caller, String action) {
    Verdict v = evaluate(caller, action, null);
    return !v.denied() && (v.allowedDirectly() || (v.allowedToAccount() && caller.isRoot()));
  }

  static MalformedPolicyDocumentException malformed(String message) {
    return new MalformedPolicyDocumentException(message, null, "kms:PutKeyPolicy");
  }

  private static final class Statement {
    final boolean allow;
    final List<PolicyPrincipal> principals;
    final List<Pattern> actions;
    final boolean notAction;
    final List<Pattern> resources;

    Statement(
        boolean allow,
        List<PolicyPrincipal> principals,
        List<Pattern> actions,
        boolean notAction,
        List<Pattern> resources) {
      this.allow = allow;
      this.principals = principals;
      this.actions = actions;
      this.notAction = notAction;
      this.resources = resources;
    }

    static Statement parse(JsonNode s, boolean accountPolicy) {
      if (!s.isObject()) {
        throw malformed("Each policy statement must be a JSON object.");
      }
      for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!ELEMENTS.contains(f)) {
          throw malformed(
              "Policy statement element '"
                  + f
                  + "' is not supported by this provider"
                  + (f.equals("Condition") || f.startsWith("Not")
                      ? "; it is refused rather than ignored."
                      : "."));
        }
      }
      JsonNode sid = s.get("Sid");
      if (sid != null && !sid.isTextual()) {
        throw malformed("Policy statement element Sid must be a string.");
      }
      String effect = text(s.get("Effect"), "Effect");
      if (!effect.equals("Allow") && !effect.equals("Deny")) {
        throw malformed("Effect must be Allow or Deny, not '" + effect + "'.");
      }
      List<PolicyPrincipal> principals = principals(s.get("Principal"));
      if (s.has("Action") == s.has("NotAction")) {
        throw malformed("A policy statement needs exactly one of Action and NotAction.");
      }
      boolean not = s.has("NotAction");
      List<Pattern> actions = new ArrayList<>();
      for (String a : strings(s.get(not ? "NotAction" : "Action"), not ? "NotAction" : "Action")) {
        if (!ACTION.matcher(a).matches()) {
          throw malformed("Action '" + a + "' is not of the form service:action.");
        }
        actions.add(glob(a, true));
      }
      List<Pattern> resources = new ArrayList<>();
      JsonNode r = s.get("Resource");
      if (r == null && accountPolicy) {
        throw malformed("An account policy statement needs a Resource.");
      }
      for (String res : r == null ? List.of("*") : strings(r, "Resource")) {
        if (!accountPolicy && !res.equals("*")) {
          throw malformed("In a key policy, Resource must be \"*\" (the key itself).");
        }
        if (!RESOURCE.matcher(res).matches()) {
          throw malformed("Resource '" + res + "' is not \"*\" or a KMS key or alias ARN.");
        }
        resources.add(glob(res, false));
      }
      return new Statement(
          effect.equals("Allow"),
          List.copyOf(principals),
          List.copyOf(actions),
          not,
          List.copyOf(resources));
    }

    private static List<PolicyPrincipal> principals(JsonNode p) {
      if (p == null) {
        throw malformed("A policy statement needs a Principal.");
      }
      if (p.isTextual()) {
        if (!p.asText().equals("*")) {
          throw malformed("Principal must be \"*\" or {\"AWS\": ...}.");
        }
        return List.of(PolicyPrincipal.ANYONE_PRINCIPAL);
      }
      if (!p.isObject() || p.size() != 1 || !p.has("AWS")) {
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
          String type = it.next().getKey();
          if (!type.equals("AWS")) {
            throw malformed(
                "Principal type '" + type + "' is not supported by this provider; only \"AWS\".");
          }
        }
        throw malformed("Principal must be \"*\" or {\"AWS\": ...}.");
      }
      List<PolicyPrincipal> out = new ArrayList<>();
      for (String s : strings(p.get("AWS"), "Principal.AWS")) {
        try {
          out.add(PolicyPrincipal.parse(s));
        } catch (IllegalArgumentException e) {
          throw malformed(INVALID_PRINCIPALS);
        }
      }
      return out;
    }

    boolean matchesAction(String action) {
      boolean any = false;
      for (Pattern a : actions) {
        if (a.matcher(action).matches()) {
          any = true;
          break;
        }
      }
      return any != notAction;
    }

    boolean matchesResource(String resource) {
      if (resource == null) {
        return true;
      }
      for (Pattern r : resources) {
        if (r.matcher(resource).matches()) {
          return true;
        }
      }
      return false;
    }

    /** A pattern for an IAM wildcard string: {@code *} any run of characters, {@code ?} one. */
    private static Pattern glob(String s, boolean caseInsensitive) {
      StringBuilder re = new StringBuilder();
      for (char c : s.toCharArray()) {
        if (c == '*') {
          re.append(".*");
        } else if (c == '?') {
          re.append('.');
        } else {
          re.append(Pattern.quote(String.valueOf(c)));
        }
      }
      return Pattern.compile(re.toString(), caseInsensitive ? Pattern.CASE_INSENSITIVE : 0);
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
        throw malformed(
            "Policy statement element " + name + " must be a string or a list of strings.");
      }
      return out;
    }
  }
}
