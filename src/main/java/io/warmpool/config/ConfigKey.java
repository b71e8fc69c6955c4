package io.warmpool.config;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key: where it lives, its type, its default and what it allows. {@link ConfigLoader}
 * keeps one per key, so that reading, validating, error messages and the summary all follow from
 * a single line of its table.
 *
 * @param fallback the default in its JSON form ({@code "auto"} for a derived default, {@code null}
 *                 for keys that are off/absent by default: those also accept {@code null})
 * @param rule     what a well-typed value must also satisfy, or {@code null} for anything of the type
 * @param auto     computes the default from the keys resolved before this one, for {@code "auto"}
 *                 (or {@code null}, or the key left out); {@code null} for keys with a plain default
 * @param secret   the value never appears in a message or a summary
 */
record ConfigKey(String section, String name, Type type, Object fallback, Rule rule,
                 Function<Map<String, Object>, Object> auto, boolean secret) {

  static final String AUTO = "auto";

  /** The JSON types a key can have, each with the Java type of its record component. */
  enum Type {
    INT(int.class, "an integer"),
    LONG(long.class, "an integer"),
    DOUBLE(double.class, "a number"),
    BOOLEAN(boolean.class, "true or false"),
    STRING(String.class, null),
    STRINGS(List.class, null),
    /** Any JSON object, handed on as it is (a copy: the config stays unchanged whoever holds it). */
    OBJECT(JsonObject.class, "a JSON object"),
    /** A JSON object whose every value is a string, in the file's order. */
    STRING_MAP(Map.class, null);

    final Class<?> javaType;
    /** How messages name the type, or {@code null} when the rule says it all. */
    final String noun;

    Type(Class<?> javaType, String noun) {
      this.javaType = javaType;
      this.noun = noun;
    }

    /** The value as the record wants it, or {@code null} when the JSON value has the wrong type. */
    Object convert(Object raw) {
      switch (this) {
        case INT: {
          BigDecimal whole = whole(raw);
          return whole != null && fits(whole, Integer.MIN_VALUE, Integer.MAX_VALUE) ? whole.intValue() : null;
        }
        case LONG: {
          BigDecimal whole = whole(raw);
          return whole != null && fits(whole, Long.MIN_VALUE, Long.MAX_VALUE) ? whole.longValue() : null;
        }
        case DOUBLE:
          return raw instanceof Number && Double.isFinite(((Number) raw).doubleValue()) ? ((Number) raw).doubleValue() : null;
        case BOOLEAN:
          return raw instanceof Boolean ? raw : null;
        case STRING:
          return raw instanceof String ? raw : null;
        case STRINGS:
          return strings(raw);
        case OBJECT:
          return object(raw);
        case STRING_MAP:
          return stringMap(raw);
        default:
          throw new AssertionError(this);
      }
    }

    /** JSON does not tell 2 from 2.0, so any number without a fraction is a whole number. */
    private static BigDecimal whole(Object raw) {
      BigDecimal value = decimal(raw);
      return value != null && value.stripTrailingZeros().scale() <= 0 ? value : null;
    }

    private static boolean fits(BigDecimal value, long min, long max) {
      return value.compareTo(BigDecimal.valueOf(min)) >= 0 && value.compareTo(BigDecimal.valueOf(max)) <= 0;
    }

    private static Map<String, Object> members(Object raw) {
      if (raw instanceof JsonObject) {
        return ((JsonObject) raw).getMap();
      }
      if (raw instanceof Map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) raw;
        return map;
      }
      return null;
    }

    private static JsonObject object(Object raw) {
      Map<String, Object> members = members(raw);
      return members == null ? null : new JsonObject(new LinkedHashMap<>(members)).copy();
    }

    private static Map<String, String> stringMap(Object raw) {
      Map<String, Object> members = members(raw);
      if (members == null) {
        return null;
      }
      Map<String, String> result = new LinkedHashMap<>();
      for (Map.Entry<String, Object> member : members.entrySet()) {
        if (!(member.getValue() instanceof String)) {
          return null;
        }
        result.put(member.getKey(), (String) member.getValue());
      }
      return Collections.unmodifiableMap(result);
    }

    private static List<String> strings(Object raw) {
      List<?> items;
      if (raw instanceof JsonArray) {
        items = ((JsonArray) raw).getList();
      } else if (raw instanceof List) {
        items = (List<?>) raw;
      } else {
        return null;
      }
      List<String> result = new ArrayList<>(items.size());
      for (Object item : items) {
        if (!(item instanceof String)) {
          return null;
        }
        result.add((String) item);
      }
      return List.copyOf(result);
    }
  }

  /** A check on a value of the key's type that may depend on keys resolved before it. */
  interface Rule {

    boolean allows(Object value, Map<String, Object> resolved);

    /** What is allowed, completing "must be …" (after the type's noun, if it has one). */
    String describe(Map<String, Object> resolved);
  }

  /**
   * A numeric range. A bound is a number, a path of a key resolved earlier (its value is then the
   * bound, and messages show both), or {@code null} for none.
   */
  record Range(Object low, boolean lowOpen, Object high, boolean highOpen) implements Rule {

    static Range between(Object low, Object high) {
      return new Range(low, false, high, false);
    }

    static Range atLeast(Object low) {
      return new Range(low, false, null, false);
    }

    static Range above(Object low) {
      return new Range(low, true, null, false);
    }

    @Override
    public boolean allows(Object value, Map<String, Object> resolved) {
      BigDecimal v = decimal(value);
      if (low != null) {
        int c = v.compareTo(decimal(bound(low, resolved)));
        if (c < 0 || (c == 0 && lowOpen)) {
          return false;
        }
      }
      if (high != null) {
        int c = v.compareTo(decimal(bound(high, resolved)));
        return c < 0 || (c == 0 && !highOpen);
      }
      return true;
    }

    @Override
    public String describe(Map<String, Object> resolved) {
      if (low != null && high != null && !lowOpen && !highOpen) {
        return "from " + show(low, resolved) + " to " + show(high, resolved);
      }
      List<String> parts = new ArrayList<>(2);
      if (low != null) {
        parts.add((lowOpen ? "> " : ">= ") + show(low, resolved));
      }
      if (high != null) {
        parts.add((highOpen ? "< " : "<= ") + show(high, resolved));
      }
      return String.join(" and ", parts);
    }

    private static Object bound(Object bound, Map<String, Object> resolved) {
      if (bound instanceof String) {
        Object value = resolved.get(bound);
        if (value == null) {
          // a table error, not a user error: the bound's key must come earlier in the table
          throw new IllegalStateException("range bound " + bound + " is not resolved yet");
        }
        return value;
      }
      return bound;
    }

    private static String show(Object bound, Map<String, Object> resolved) {
      String number = decimal(bound(bound, resolved)).stripTrailingZeros().toPlainString();
      return bound instanceof String ? bound + " (" + number + ")" : number;
    }
  }

  /** A rule given by a test and the words that say what it allows. */
  record Matches(String words, Predicate<Object> test) implements Rule {

    @Override
    public boolean allows(Object value, Map<String, Object> resolved) {
      return test.test(value);
    }

    @Override
    public String describe(Map<String, Object> resolved) {
      return words;
    }
  }

  String path() {
    return section + "." + name;
  }

  /**
   * Converts and checks one value.
   *
   * @param raw      the JSON value (from the defaults, the file or an environment variable)
   * @param origin   where the value came from, for the message: "" (the file), " (default)" or
   *                 " (from WARMPOOL_…)"
   * @param resolved the values of the keys before this one in the table
   */
  Object resolve(Object raw, String origin, Map<String, Object> resolved) throws ConfigException {
    if (auto != null && (raw == null || AUTO.equals(raw))) {
      return auto.apply(resolved);
    }
    if (raw == null && fallback == null) {
      return null;
    }
    Object value = raw == null ? null : type.convert(raw);
    if (value == null || (rule != null && !rule.allows(value, resolved))) {
      throw new ConfigException(path() + " = " + show(raw) + origin
        + ": must be " + describe(resolved));
    }
    return value;
  }

  String describe(Map<String, Object> resolved) {
    String words;
    if (type.noun == null) {
      // a string key says what string it takes through its rule; one without a rule takes any
      words = rule == null ? "a string" : rule.describe(resolved);
    } else if (rule == null) {
      words = type.noun;
    } else {
      words = type.noun + " " + rule.describe(resolved);
    }
    return auto != null ? words + ", or \"" + AUTO + "\"" : words;
  }

  /** The value as messages show it: one line, never a secret. */
  String show(Object raw) {
    if (secret && raw != null) {
      return "(hidden)";
    }
    String text = Json.encode(raw);
    // a message stays one readable line even for a long value
    return text.length() > 120 ? text.substring(0, 117) + "..." : text;
  }

  private static BigDecimal decimal(Object value) {
    if (!(value instanceof Number)) {
      return null;
    }
    try {
      return new BigDecimal(value.toString());
    } catch (NumberFormatException e) {
      return null; // NaN and infinities
    }
  }
}
