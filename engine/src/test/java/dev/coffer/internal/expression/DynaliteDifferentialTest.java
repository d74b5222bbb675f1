package dev.coffer.internal.expression;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.ValidationException;
import dev.coffer.internal.expression.ConditionModel.And;
import dev.coffer.internal.expression.ConditionModel.C;
import dev.coffer.internal.expression.ConditionModel.Cmp;
import dev.coffer.internal.expression.ConditionModel.InList;
import dev.coffer.internal.expression.ConditionModel.Not;
import dev.coffer.internal.expression.ConditionModel.O;
import dev.coffer.internal.expression.ConditionModel.Or;
import dev.coffer.internal.expression.ConditionModel.P;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Coffer's expressions against dynalite, an independent DynamoDB implementation ({@link
 * DynaliteServer}: installed into {@code target/dynalite} by the test; skipped with a message when
 * node or npm is missing or the install fails).
 *
 * <ul>
 *   <li>Conditions: a random item is put, then put again under a random ConditionExpression;
 *       dynalite's success or ConditionalCheckFailedException must equal Coffer's evaluation.
 *   <li>Projections: a random GetItem ProjectionExpression must give the item Coffer's projection
 *       gives.
 *   <li>Updates: a random UpdateExpression must leave the item Coffer's update makes and return the
 *       same UPDATED_OLD or UPDATED_NEW, or fail with the same message.
 * </ul>
 *
 * <p>The generator keeps to what dynalite does as DynamoDB (see {@link
 * RandomModels#RandomModels(long, boolean)}); where dynalite is known to differ on the data (two
 * missing operands compared, lists or maps compared by reference) the case is counted as a known
 * difference, not a mismatch. Other known dynalite differences, kept out of the generator: {@code
 * NOT NOT a} is a syntax error there; "" and BOOL false count as absent in IN, BETWEEN, size and
 * attribute_type; size of a string counts UTF-16 units; contains on a list sees only S, N and B
 * elements; begins_with on two missing operands crashes it; list elements are removed one after
 * another; a nested REMOVE on an absent item fails; an update that only removes creates an absent
 * item (of its key alone), where DynamoDB creates nothing (counted apart, checked to be exactly
 * that).
 */
class DynaliteDifferentialTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TABLE = "expressions";
  private static DynaliteServer dynalite;

  @BeforeAll
  static void startDynalite() throws Exception {
    dynalite = DynaliteServer.start(TABLE);
  }

  @AfterAll
  static void stopDynalite() {
    if (dynalite != null) {
      dynalite.close();
    }
  }

  private static JsonNode call(String operation, String body) throws Exception {
    return dynalite.call(operation, body);
  }

  private static String attributes(Map<String, ?> map) throws IOException {
    return JSON.writeValueAsString(map);
  }

  @Test
  void conditionsEvaluateAsInDynalite() throws Exception {
    int compared = 0;
    int known = 0;
    List<String> mismatches = new ArrayList<>();
    for (long seed = 1; seed <= 300; seed++) {
      RandomModels gen = new RandomModels(seed, true);
      Item item = gen.item().toBuilder().string("pk", "c" + seed).build();
      JsonNode put = call("PutItem", "{\"TableName\": \"" + TABLE + "\", \"Item\": " + item + "}");
      assertThat(put.get("status").asInt()).as("put %s: %s", item, put).isEqualTo(200);
      for (int k = 0; k < 3; k++) {
        C model = gen.condition(item, 2);
        ModelPrinter printer = new ModelPrinter(gen.random());
        String text = printer.print(model);
        Placeholders p =
            Placeholders.of(
                printer.names.isEmpty() ? null : printer.names,
                printer.values.isEmpty() ? null : printer.values);
        boolean coffer =
            ConditionEvaluator.matches(
                ExpressionParser.condition(text, ExpressionKind.CONDITION, p), item);
        StringBuilder body =
            new StringBuilder(
                "{\"TableName\": \""
                    + TABLE
                    + "\", \"Item\": "
                    + item
                    + ", \"ConditionExpression\": "
                    + JSON.writeValueAsString(text));
        if (!printer.names.isEmpty()) {
          body.append(", \"ExpressionAttributeNames\": ").append(attributes(printer.names));
        }
        if (!printer.values.isEmpty()) {
          body.append(", \"ExpressionAttributeValues\": ").append(Item.of(printer.values));
        }
        JsonNode r = call("PutItem", body.append('}').toString());
        int status = r.get("status").asInt();
        String type = r.path("__type").asText();
        compared++;
        if (status != 200 && !type.endsWith("ConditionalCheckFailedException")) {
          mismatches.add(text + " on " + item + ": dynalite answered " + r);
          continue;
        }
        boolean dyn = status == 200;
        if (dyn != coffer) {
          if (dynaliteQuirk(model, item)) {
            known++;
          } else {
            mismatches.add(
                text
                    + " "
                    + printer.names
                    + " "
                    + printer.values
                    + " on "
                    + item
                    + ": dynalite "
                    + dyn
                    + ", Coffer "
                    + coffer);
          }
        }
      }
    }
    System.out.printf(
        "dynalite differential: %d conditions compared, %d known dynalite differences, %d"
            + " mismatches%n",
        compared, known, mismatches.size());
    assertThat(mismatches).isEmpty();
  }

  @Test
  void projectionsShapeItemsAsInDynalite() throws Exception {
    int compared = 0;
    List<String> mismatches = new ArrayList<>();
    for (long seed = 1; seed <= 200; seed++) {
      RandomModels gen = new RandomModels(seed * 7919, true);
      Item item = gen.item().toBuilder().string("pk", "p" + seed).build();
      assertThat(
              call("PutItem", "{\"TableName\": \"" + TABLE + "\", \"Item\": " + item + "}")
                  .get("status")
                  .asInt())
          .isEqualTo(200);
      List<DocPath> paths = new ArrayList<>();
      for (int i = 1 + gen.random().nextInt(4); i > 0; i--) {
        DocPath candidate = docPath(gen.path(item));
        boolean clash = false;
        for (DocPath p : paths) {
          clash |= p.relationTo(candidate) != DocPath.Relation.NONE;
        }
        if (!clash) {
          paths.add(candidate);
        }
      }
      Printer.Printed printed = Printer.projection(paths, name -> gen.random().nextBoolean());
      StringBuilder body =
          new StringBuilder(
              "{\"TableName\": \""
                  + TABLE
                  + "\", \"Key\": {\"pk\": {\"S\": \"p"
                  + seed
                  + "\"}}, \"ProjectionExpression\": "
                  + JSON.writeValueAsString(printed.expression()));
      if (!printed.names().isEmpty()) {
        body.append(", \"ExpressionAttributeNames\": ").append(attributes(printed.names()));
      }
      JsonNode r = call("GetItem", body.append('}').toString());
      compared++;
      if (r.get("status").asInt() != 200) {
        mismatches.add(printed + ": dynalite answered " + r);
        continue;
      }
      Item dyn = decodeItem(r.path("Item"));
      Item coffer = Projector.project(item, paths);
      if (!dyn.equals(coffer)) {
        mismatches.add(
            printed.expression() + " on " + item + ": dynalite " + dyn + ", Coffer " + coffer);
      }
    }
    System.out.printf(
        "dynalite differential: %d projections compared, %d mismatches%n",
        compared, mismatches.size());
    assertThat(mismatches).isEmpty();
  }

  @Test
  void updatesApplyAsInDynalite() throws Exception {
    KeySchema schema = KeySchema.of("pk", AttributeType.S);
    int compared = 0;
    int failedAlike = 0;
    int knownAbsent = 0;
    List<String> mismatches = new ArrayList<>();
    for (long seed = 1; seed <= 500; seed++) {
      RandomModels gen = new RandomModels(seed * 104729, true);
      Random rnd = gen.random();
      String pk = "u" + seed;
      Item old = rnd.nextInt(4) == 0 ? null : gen.item().toBuilder().string("pk", pk).build();
      if (old != null) {
        assertThat(
                call("PutItem", "{\"TableName\": \"" + TABLE + "\", \"Item\": " + old + "}")
                    .get("status")
                    .asInt())
            .isEqualTo(200);
      }
      UpdateAst update = randomUpdate(gen, old);
      Printer.Printed printed = Printer.update(update, name -> rnd.nextBoolean());
      String returnValues = rnd.nextBoolean() ? "UPDATED_OLD" : "UPDATED_NEW";
      StringBuilder body =
          new StringBuilder(
              "{\"TableName\": \""
                  + TABLE
                  + "\", \"Key\": {\"pk\": {\"S\": \""
                  + pk
                  + "\"}}, \"UpdateExpression\": "
                  + JSON.writeValueAsString(printed.expression())
                  + ", \"ReturnValues\": \""
                  + returnValues
                  + "\"");
      if (!printed.names().isEmpty()) {
        body.append(", \"ExpressionAttributeNames\": ").append(attributes(printed.names()));
      }
      if (!printed.values().isEmpty()) {
        body.append(", \"ExpressionAttributeValues\": ").append(Item.of(printed.values()));
      }
      JsonNode r = call("UpdateItem", body.append('}').toString());
      UpdateResult coffer = null;
      String cofferError = null;
      try {
        coffer = UpdateApplier.apply(update, old, Key.of(pk), schema);
      } catch (ValidationException e) {
        cofferError = e.getMessage();
      }
      compared++;
      String what =
          printed.expression() + " " + printed.names() + " " + printed.values() + " on " + old;
      if (r.get("status").asInt() != 200) {
        if (cofferError == null || !cofferError.equals(r.path("message").asText())) {
          mismatches.add(
              what
                  + ": dynalite "
                  + r
                  + ", Coffer "
                  + (cofferError != null ? cofferError : coffer));
        } else {
          failedAlike++;
        }
        continue;
      }
      if (cofferError != null) {
        mismatches.add(what + ": dynalite succeeded, Coffer: " + cofferError);
        continue;
      }
      Item expected =
          returnValues.equals("UPDATED_OLD") ? coffer.updatedOld() : coffer.updatedNew();
      Item returned = decodeItem(r.path("Attributes"));
      Item stored =
          decodeItem(
              call(
                      "GetItem",
                      "{\"TableName\": \""
                          + TABLE
                          + "\", \"Key\": {\"pk\": {\"S\": \""
                          + pk
                          + "\"}}}")
                  .path("Item"));
      if (old == null && coffer.item() == null) {
        // Known dynalite difference: an update that only removes (REMOVE, DELETE) from an item
        // that does not exist creates nothing in DynamoDB (as in Coffer; sources in
        // UpdateApplierTest#onAnItemThatDoesNotExistOnlyRemovingCreatesNothing) and an item of
        // the key alone in dynalite.
        knownAbsent++;
        if (!returned.equals(Item.empty())
            || !stored.equals(Item.builder().string("pk", pk).build())) {
          mismatches.add(what + ": dynalite " + returned + ", item " + stored + ", Coffer no item");
        }
        continue;
      }
      if (!returned.equals(expected) || !stored.equals(coffer.item())) {
        mismatches.add(
            what
                + ": dynalite "
                + returnValues
                + " "
                + returned
                + ", item "
                + stored
                + "; Coffer "
                + expected
                + ", item "
                + coffer.item());
      }
    }
    System.out.printf(
        "dynalite differential: %d updates compared (%d refused alike, %d only removing from an"
            + " absent item: known dynalite difference), %d mismatches%n",
        compared, failedAlike, knownAbsent, mismatches.size());
    assertThat(mismatches).isEmpty();
  }

  /**
   * One to four actions on distinct top-level attributes: SET of a value, another attribute,
   * if_not_exists, {@code +}/{@code -}, or a map key; REMOVE; ADD of a number or strings; DELETE of
   * strings. No list-index actions and no nested REMOVE on an absent item: dynalite removes list
   * elements one after another (shifting the later indexes) and refuses a nested REMOVE on an
   * absent item, where DynamoDB does neither.
   */
  private static UpdateAst randomUpdate(RandomModels gen, Item old) {
    Random rnd = gen.random();
    List<String> names = new ArrayList<>(RandomModels.NAMES);
    Collections.shuffle(names, rnd);
    List<UpdateAst.Action> sets = new ArrayList<>();
    List<UpdateAst.Action> others = new ArrayList<>();
    for (int i = 1 + rnd.nextInt(4); i > 0; i--) {
      DocPath path = DocPath.of(names.remove(0));
      Expr.PathRef target = Expr.PathRef.of(path);
      Expr.Value number = Expr.Value.of(AttributeValue.n(rnd.nextInt(7) - 3));
      List<String> present =
          old == null ? List.of("pk") : new ArrayList<>(old.attributes().keySet());
      Expr.PathRef other =
          Expr.PathRef.of(
              DocPath.of(rnd.nextInt(4) == 0 ? gen.pick(RandomModels.NAMES) : gen.pick(present)));
      switch (rnd.nextInt(9)) {
        case 0:
          sets.add(new UpdateAst.Set(target, UpdateAst.SetValue.of(Expr.Value.of(gen.value(1)))));
          break;
        case 1:
          sets.add(
              new UpdateAst.Set(
                  target, UpdateAst.SetValue.of(other.path().equals(path) ? number : other)));
          break;
        case 2:
          sets.add(
              new UpdateAst.Set(
                  target,
                  UpdateAst.SetValue.of(
                      new Expr.Call(
                          "if_not_exists",
                          List.of(
                              rnd.nextBoolean() ? target : other, Expr.Value.of(gen.value(0)))))));
          break;
        case 3:
          sets.add(
              new UpdateAst.Set(
                  target,
                  new UpdateAst.SetValue(
                      rnd.nextBoolean() ? other : number,
                      rnd.nextBoolean() ? '+' : '-',
                      rnd.nextBoolean() ? number : other)));
          break;
        case 4:
          sets.add(
              new UpdateAst.Set(
                  Expr.PathRef.of(path.child(gen.pick(RandomModels.NAMES))),
                  UpdateAst.SetValue.of(Expr.Value.of(gen.value(0)))));
          break;
        case 5:
          others.add(
              new UpdateAst.Remove(
                  old != null && rnd.nextBoolean()
                      ? Expr.PathRef.of(path.child(gen.pick(RandomModels.NAMES)))
                      : target));
          break;
        case 6:
          others.add(
              new UpdateAst.Add(
                  target,
                  rnd.nextBoolean()
                      ? number
                      : Expr.Value.of(AttributeValue.ss(gen.pick(List.of("a", "b")), "c"))));
          break;
        default:
          others.add(
              new UpdateAst.Delete(
                  target, Expr.Value.of(AttributeValue.ss(gen.pick(List.of("a", "b", "c"))))));
      }
    }
    // dynalite's SET keeps a reference to the attribute it copies, and ADD or DELETE on that
    // attribute then changes the copy too; DynamoDB copies the value first
    List<String> mutated = new ArrayList<>();
    for (UpdateAst.Action a : others) {
      if (!(a instanceof UpdateAst.Remove)) {
        mutated.add(a.path().path().head());
      }
    }
    List<UpdateAst.Action> actions = new ArrayList<>();
    for (UpdateAst.Action a : sets) {
      UpdateAst.SetValue v = ((UpdateAst.Set) a).value();
      boolean aliased =
          mentions(v.left(), mutated) || (v.isArithmetic() && mentions(v.right(), mutated));
      actions.add(
          aliased
              ? new UpdateAst.Set(a.path(), UpdateAst.SetValue.of(Expr.Value.of(gen.value(0))))
              : a);
    }
    others.sort((a, b) -> a.section().compareTo(b.section()));
    actions.addAll(others);
    UpdateAst ast = new UpdateAst(actions);
    ExpressionParser.check(ast);
    return ast;
  }

  private static boolean mentions(Expr e, List<String> names) {
    if (e instanceof Expr.PathRef) {
      return names.contains(((Expr.PathRef) e).path().head());
    }
    if (e instanceof Expr.Call) {
      for (Expr a : ((Expr.Call) e).args()) {
        if (mentions(a, names)) {
          return true;
        }
      }
    }
    return false;
  }

  private static DocPath docPath(P p) {
    DocPath path = DocPath.of((String) p.elements().get(0));
    for (int i = 1; i < p.elements().size(); i++) {
      Object e = p.elements().get(i);
      path = e instanceof Integer ? path.child((Integer) e) : path.child((String) e);
    }
    return path;
  }

  /**
   * Whether {@code c} meets a place where dynalite is known to differ from DynamoDB on this item: a
   * comparison between two operands that are both missing (dynalite: equal, so {@code =}, {@code
   * <=} and {@code >=} hold and {@code <>} does not), or {@code =}, {@code <>} or IN between two
   * lists or maps (dynalite compares them by reference: never equal).
   */
  private static boolean dynaliteQuirk(C c, Item item) {
    if (c instanceof And a) {
      return dynaliteQuirk(a.l(), item) || dynaliteQuirk(a.r(), item);
    }
    if (c instanceof Or o) {
      return dynaliteQuirk(o.l(), item) || dynaliteQuirk(o.r(), item);
    }
    if (c instanceof Not n) {
      return dynaliteQuirk(n.c(), item);
    }
    if (c instanceof Cmp cmp) {
      boolean equality = cmp.op().equals("=") || cmp.op().equals("<>");
      return equality
          ? quirkyPair(cmp.l(), cmp.r(), item)
          : ReferenceEvaluator.value(cmp.l(), item) == null
              && ReferenceEvaluator.value(cmp.r(), item) == null;
    }
    if (c instanceof InList in) {
      for (O o : in.candidates()) {
        if (quirkyPair(in.x(), o, item)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean quirkyPair(O a, O b, Item item) {
    AttributeValue x = ReferenceEvaluator.value(a, item);
    AttributeValue y = ReferenceEvaluator.value(b, item);
    if (x == null && y == null) {
      return true;
    }
    return x != null
        && y != null
        && x.type() == y.type()
        && (x.type() == AttributeType.L || x.type() == AttributeType.M);
  }

  private static Item decodeItem(JsonNode node) {
    return DynaliteServer.decodeItem(node);
  }
}
