package io.warmpool.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;

/**
 * Reads the fields of one received message, each with the JSON type the protocol gives it. A
 * field that is missing or of another type is a {@link ProtocolException} naming the message,
 * the field and what came instead; fields the protocol does not know are never looked at, so a
 * newer peer may add some.
 */
final class MessageFields {

  private final String type;
  private final JsonObject json;

  MessageFields(String type, JsonObject json) {
    this.type = type;
    this.json = json;
  }

  String type() {
    return type;
  }

  static JsonObject message(String type) {
    return new JsonObject().put("type", type);
  }

  /** Job ids are JSON strings or numbers; anything else could not be echoed as it came. */
  static void requireJobId(Object jobId) {
    if (!(jobId instanceof String || jobId instanceof Number)) {
      throw new IllegalArgumentException("jobId must be a JSON string or number, got " + describe(jobId));
    }
  }

  String string(String name) throws ProtocolException {
    Object value = present(name);
    if (!(value instanceof String)) {
      throw mistyped(name, "a string", value);
    }
    return (String) value;
  }

  long integer(String name) throws ProtocolException {
    Object value = present(name);
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger && ((BigInteger) value).bitLength() < Long.SIZE) {
      return ((BigInteger) value).longValue();
    }
    throw mistyped(name, "an integer (64 bits at most)", value);
  }

  JsonObject object(String name) throws ProtocolException {
    Object value = present(name);
    if (!(value instanceof JsonObject)) {
      throw mistyped(name, "a JSON object", value);
    }
    return (JsonObject) value;
  }

  Object jobId() throws ProtocolException {
    Object value = present("jobId");
    if (!(value instanceof String || value instanceof Number)) {
      throw mistyped("jobId", "a string or a number", value);
    }
    return value;
  }

  /** The job id of a message that may be about no job: null when the field is absent. */
  Object optionalJobId() throws ProtocolException {
    return json.containsKey("jobId") ? jobId() : null;
  }

  /** Any JSON value, {@code null} included, as long as the field is there. */
  Object value(String name) throws ProtocolException {
    return present(name);
  }

  private Object present(String name) throws ProtocolException {
    if (!json.containsKey(name)) {
      throw new ProtocolException("'" + type + "' message without its field '" + name + "'");
    }
    return json.getValue(name);
  }

  private ProtocolException mistyped(String name, String expected, Object value) {
    return new ProtocolException("'" + type + "' message: field '" + name + "' must be " + expected
      + ", got " + describe(value));
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Number) {
      return "the number " + value;
    }
    if (value instanceof JsonObject) {
      return "an object";
    }
    if (value instanceof JsonArray) {
      return "an array";
    }
    return value.getClass().getSimpleName();
  }
}
