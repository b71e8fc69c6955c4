package io.warmpool.child;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.util.Optional;

/**
 * A message from the worker (docs/protocol.md, "worker → child"), decoded with the rules the
 * worker's own codec applies to both ends: a frame of a {@code type} the child does not know
 * decodes to nothing and is ignored; a known message with a field missing or of another JSON type
 * is a {@link ProtocolViolation}; fields the protocol does not list are never looked at.
 */
sealed interface WorkerFrame {

  /** Run the prewarm hook with {@code options}, then answer {@code ready} or {@code initFailed}. */
  record Initialize(String entrypoint, JsonObject options) implements WorkerFrame {
  }

  /** Run one job. {@code jobId} is the JSON string or number as it came, to be echoed as it came. */
  record Start(JsonPrimitive jobId, JsonObject payload) implements WorkerFrame {
  }

  /** Answer {@code pong} with the same {@code seq}. */
  record Ping(long seq) implements WorkerFrame {
  }

  /** Stop: interrupt a running job, send {@code exiting}, exit. */
  record Shutdown(String reason) implements WorkerFrame {
  }

  /** A client cancelled the job {@code jobId}; {@code shutdown} follows after {@code graceMs}. */
  record Cancel(JsonPrimitive jobId, long graceMs) implements WorkerFrame {
  }

  /**
   * The message of a frame from the worker; empty when its type is unknown here (to be ignored).
   *
   * @throws ProtocolViolation when the frame is over the limit, not a JSON object with a string
   *                           {@code type}, or a known message with a field missing or mistyped
   */
  static Optional<WorkerFrame> decode(String frame) throws ProtocolViolation {
    JsonObject json = Wire.parseObject(frame);
    JsonElement type = json.get("type");
    if (type == null || !type.isJsonPrimitive() || !type.getAsJsonPrimitive().isString()) {
      throw new ProtocolViolation("message without a string 'type': " + Wire.abbreviate(frame));
    }
    Fields fields = new Fields(type.getAsString(), json);
    // A switch, not a map of method references: the child decodes its first message on the way
    // to ready, and a string switch costs it no lambda classes to spin at start-up.
    switch (fields.type) {
      case "initialize":
        return Optional.of(new Initialize(fields.string("entrypoint"), fields.object("options")));
      case "start":
        return Optional.of(new Start(fields.jobId(), fields.object("payload")));
      case "ping":
        return Optional.of(new Ping(fields.integer("seq")));
      case "shutdown":
        return Optional.of(new Shutdown(fields.string("reason")));
      case "cancel":
        return Optional.of(new Cancel(fields.jobId(), fields.integer("graceMs")));
      default:
        return Optional.empty();
    }
  }

  /** The fields of one received message, each read with the JSON type the protocol gives it. */
  final class Fields {

    private final String type;
    private final JsonObject json;

    private Fields(String type, JsonObject json) {
      this.type = type;
      this.json = json;
    }

    String string(String name) throws ProtocolViolation {
      JsonElement value = present(name);
      if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
        throw mistyped(name, "a string", value);
      }
      return value.getAsString();
    }

    /** A whole number of at most 64 bits, written without fraction or exponent (as the worker reads one). */
    long integer(String name) throws ProtocolViolation {
      JsonElement value = present(name);
      if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
        try {
          return Long.parseLong(value.getAsString());
        } catch (NumberFormatException notIntegral) {
          // a fraction, an exponent or more than 64 bits: reported below
        }
      }
      throw mistyped(name, "an integer (64 bits at most)", value);
    }

    JsonObject object(String name) throws ProtocolViolation {
      JsonElement value = present(name);
      if (!value.isJsonObject()) {
        throw mistyped(name, "a JSON object", value);
      }
      return value.getAsJsonObject();
    }

    JsonPrimitive jobId() throws ProtocolViolation {
      JsonElement value = present("jobId");
      if (!value.isJsonPrimitive() || value.getAsJsonPrimitive().isBoolean()) {
        throw mistyped("jobId", "a string or a number", value);
      }
      return value.getAsJsonPrimitive();
    }

    private JsonElement present(String name) throws ProtocolViolation {
      JsonElement value = json.get(name);
      if (value == null) {
        throw new ProtocolViolation("'" + type + "' message without its field '" + name + "'");
      }
      return value;
    }

    private ProtocolViolation mistyped(String name, String expected, JsonElement value) {
      return new ProtocolViolation("'" + type + "' message: field '" + name + "' must be " + expected
        + ", got " + Wire.describe(value));
    }
  }
}
