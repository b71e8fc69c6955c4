package io.warmpool.testbed;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one JSON object of a scenario with errors that name the field by its path
 * ({@code arrival.rate must be a number > 0, not -1}), so a typo in a scenario is found
 * before a worker is started for it.
 */
final class JsonFields {

  private final String path;
  private final JsonObject json;

  JsonFields(String path, JsonObject json) {
    this.path = path;
    this.json = json;
  }

  String name(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    return json.containsKey(key) && json.getValue(key) != null;
  }

  /** Fails on any key not listed: a misspelt key would otherwise be ignored silently. */
  void allowOnly(String... keys) throws ScenarioException {
    Set<String> allowed = Set.of(keys);
    for (String key : json.fieldNames()) {
      if (!allowed.contains(key)) {
        throw new ScenarioException("unknown field " + name(key) + " (allowed here: " + String.join(", ", new TreeSet<>(allowed)) + ")");
      }
    }
  }

  double number(String key, double min, double max) throws ScenarioException {
    Object value = json.getValue(key);
    if (!(value instanceof Number) || !Double.isFinite(((Number) value).doubleValue())) {
      throw new ScenarioException(name(key) + " must be a number from " + plain(min) + " to " + plain(max)
        + (value == null ? " (missing)" : ", not " + describe(value)));
    }
    double number = ((Number) value).doubleValue();
    if (number < min || number > max) {
      throw new ScenarioException(name(key) + " must be a number from " + plain(min) + " to " + plain(max) + ", not " + plain(number));
    }
    return number;
  }

  double number(String key, double min, double max, double byDefault) throws ScenarioException {
    return has(key) ? number(key, min, max) : byDefault;
  }

  long whole(String key, long min, long max) throws ScenarioException {
    Object value = json.getValue(key);
    if (!(value instanceof Number) || ((Number) value).doubleValue() != ((Number) value).longValue()) {
      throw new ScenarioException(name(key) + " must be a whole number from " + min + " to " + max
        + (value == null ? " (missing)" : ", not " + describe(value)));
    }
    long number = ((Number) value).longValue();
    if (number < min || number > max) {
      throw new ScenarioException(name(key) + " must be a whole number from " + min + " to " + max + ", not " + number);
    }
    return number;
  }

  long whole(String key, long min, long max, long byDefault) throws ScenarioException {
    return has(key) ? whole(key, min, max) : byDefault;
  }

  String text(String key, Set<String> allowed, String byDefault) throws ScenarioException {
    Object value = json.getValue(key);
    if (value == null) {
      if (byDefault != null) {
        return byDefault;
      }
      throw new ScenarioException(name(key) + " is missing (one of: " + String.join(", ", new TreeSet<>(allowed)) + ")");
    }
    if (!(value instanceof String) || (!allowed.isEmpty() && !allowed.contains(value))) {
      throw new ScenarioException(name(key) + " must be " + (allowed.isEmpty() ? "a string" : "one of " + String.join(", ", new TreeSet<>(allowed)))
        + ", not " + describe(value));
    }
    return (String) value;
  }

  JsonObject object(String key, boolean required) throws ScenarioException {
    Object value = json.getValue(key);
    if (value == null && !required) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject)) {
      throw new ScenarioException(name(key) + " must be a JSON object" + (value == null ? " (missing)" : ", not " + describe(value)));
    }
    return (JsonObject) value;
  }

  JsonArray array(String key, boolean required) throws ScenarioException {
    Object value = json.getValue(key);
    if (value == null && !required) {
      return new JsonArray();
    }
    if (!(value instanceof JsonArray) || (required && ((JsonArray) value).isEmpty())) {
      throw new ScenarioException(name(key) + " must be a non-empty JSON array" + (value == null ? " (missing)" : ", not " + describe(value)));
    }
    return (JsonArray) value;
  }

  boolean flag(String key, boolean byDefault) throws ScenarioException {
    Object value = json.getValue(key);
    if (value == null) {
      return byDefault;
    }
    if (!(value instanceof Boolean)) {
      throw new ScenarioException(name(key) + " must be true or false, not " + describe(value));
    }
    return (Boolean) value;
  }

  /** The element {@code index} of an array field, which must be an object. */
  JsonFields element(String key, JsonArray array, int index) throws ScenarioException {
    Object value = array.getValue(index);
    String elementPath = name(key) + "[" + index + "]";
    if (!(value instanceof JsonObject)) {
      throw new ScenarioException(elementPath + " must be a JSON object, not " + describe(value));
    }
    return new JsonFields(elementPath, (JsonObject) value);
  }

  JsonFields child(String key, boolean required) throws ScenarioException {
    return new JsonFields(name(key), object(key, required));
  }

  JsonObject json() {
    return json;
  }

  private static String describe(Object value) {
    if (value instanceof String) {
      return "\"" + value + "\"";
    }
    return String.valueOf(value);
  }

  static String plain(double number) {
    if (number == Math.rint(number) && Math.abs(number) < 1e15) {
      return Long.toString((long) number);
    }
    return Double.toString(number);
  }
}
