package io.warmpool.fuzz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Inputs for the parsers' property tests: arbitrary text, text made of JSON's own characters
 * (so it often gets far into the parser), and valid frames mutated at the character and at the
 * JSON level. Mutations draw from a {@link Random} that jqwik seeds, so a run is repeatable.
 */
public final class FrameFuzz {

  /** Characters JSON is made of: random strings of them get past the first byte far more often. */
  private static final String JSON_ALPHABET = "{}[]\":,.-+eE0123456789 \t\r\\/truefalsnopbcdkyhijmw\u00e9\u2028\ud83d\ude00";

  private FrameFuzz() {
  }

  /** Any text, surrogates and control characters included. */
  public static Arbitrary<String> anyText() {
    return Arbitraries.strings().all().ofMaxLength(400);
  }

  /** Text of JSON's characters, usually malformed JSON. */
  public static Arbitrary<String> jsonish() {
    return Arbitraries.strings().withChars(JSON_ALPHABET.toCharArray()).ofMaxLength(200);
  }

  /** {@code valid} frames with 1 to 6 mutations each. */
  public static Arbitrary<String> mutationsOf(Arbitrary<JsonObject> valid) {
    return valid.flatMap(frame -> Arbitraries.randomValue(random -> mutate(frame, random)));
  }

  /**
   * Mutates a frame: half of the time at the JSON level (a field set to a value of another
   * type, removed, or added), else at the character level (bytes deleted, inserted, swapped,
   * duplicated, truncated), which mostly yields text that is no longer JSON.
   */
  public static String mutate(JsonObject frame, Random random) {
    JsonObject json = frame.copy();
    int jsonMutations = random.nextBoolean() ? 1 + random.nextInt(3) : 0;
    for (int i = 0; i < jsonMutations; i++) {
      mutateJson(json, random);
    }
    String text = json.encode();
    int charMutations = jsonMutations == 0 ? 1 + random.nextInt(4) : random.nextInt(2);
    for (int i = 0; i < charMutations; i++) {
      text = mutateText(text, random);
    }
    return text;
  }

  private static void mutateJson(JsonObject json, Random random) {
    List<String> keys = new ArrayList<>(json.fieldNames());
    // nested objects (a submit's payload) are mutated too
    for (String key : keys) {
      if (json.getValue(key) instanceof JsonObject nested && random.nextInt(3) == 0) {
        mutateJson(nested, random);
        return;
      }
    }
    switch (random.nextInt(4)) {
      case 0 -> {
        if (!keys.isEmpty()) {
          json.remove(keys.get(random.nextInt(keys.size())));
        }
      }
      case 1 -> json.put(randomKey(random), randomJsonValue(random, 3));
      default -> {
        if (!keys.isEmpty()) {
          json.put(keys.get(random.nextInt(keys.size())), randomJsonValue(random, 3));
        }
      }
    }
  }

  private static String randomKey(Random random) {
    String[] keys = {"op", "ref", "jobId", "payload", "timeoutMs", "topic", "type", "seq", "result", "error", ""};
    return keys[random.nextInt(keys.length)];
  }

  /** A JSON value of any type; strings include ones that look like the protocol's own. */
  public static Object randomJsonValue(Random random, int depth) {
    int kinds = depth > 0 ? 11 : 9;
    return switch (random.nextInt(kinds)) {
      case 0 -> null;
      case 1 -> random.nextBoolean();
      case 2 -> random.nextInt();
      case 3 -> random.nextLong();
      case 4 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
      case 5 -> randomString(random, 1 + random.nextInt(20));
      case 6 -> randomString(random, 200 + random.nextInt(200));
      case 7 -> {
        String[] words = {"submit", "cancel", "watch", "subscribe", "unsubscribe", "pool", "done", "started",
          "ready", "pong", "failed", "output", "hello", "exiting", "initFailed", "echo", ""};
        yield words[random.nextInt(words.length)];
      }
      case 8 -> random.nextInt(3) == 0 ? -1 : 0;
      case 9 -> {
        JsonArray array = new JsonArray();
        for (int i = random.nextInt(4); i > 0; i--) {
          array.add(randomJsonValue(random, depth - 1));
        }
        yield array;
      }
      default -> {
        JsonObject object = new JsonObject();
        for (int i = random.nextInt(4); i > 0; i--) {
          object.put(randomKey(random), randomJsonValue(random, depth - 1));
        }
        yield object;
      }
    };
  }

  private static String randomString(Random random, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(random.nextInt(8) == 0 ? (char) random.nextInt(0x10000) : (char) (' ' + random.nextInt(95)));
    }
    return text.toString();
  }

  private static String mutateText(String text, Random random) {
    if (text.isEmpty()) {
      return String.valueOf(JSON_ALPHABET.charAt(random.nextInt(JSON_ALPHABET.length())));
    }
    int at = random.nextInt(text.length());
    int to = Math.min(text.length(), at + 1 + random.nextInt(8));
    return switch (random.nextInt(7)) {
      case 0 -> text.substring(0, at) + text.substring(to);
      case 1 -> text.substring(0, at) + JSON_ALPHABET.charAt(random.nextInt(JSON_ALPHABET.length())) + text.substring(at);
      case 2 -> text.substring(0, at) + (char) random.nextInt(0x10000) + text.substring(at + 1);
      case 3 -> text.substring(0, to) + text.substring(at, to) + text.substring(to);
      case 4 -> text.substring(0, at);
      case 5 -> {
        char[] chars = text.toCharArray();
        int other = random.nextInt(chars.length);
        char swap = chars[at];
        chars[at] = chars[other];
        chars[other] = swap;
        yield new String(chars);
      }
      default -> text + text.substring(at, to);
    };
  }
}
