package io.warmpool.child;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The JSON of the child protocol (docs/protocol.md) on Gson: frames are one JSON object per
 * line, UTF-8, at most {@link #MAX_FRAME_BYTES} bytes without the newline, read strictly (RFC
 * 8259: no comments, no single quotes, nothing after the object) as the worker's own parser reads
 * them, and written strictly (a number that is not finite is refused rather than sent as
 * {@code NaN}, which the worker could not read).
 */
final class Wire {

  /** A frame, not counting its newline, is at most 1 MiB of UTF-8 in either direction. */
  static final int MAX_FRAME_BYTES = 1024 * 1024;

  /**
   * How deep objects and arrays may nest in a frame: what the worker's parser (Jackson) allows,
   * where Gson alone would stop at 255 and refuse payloads the worker accepted.
   */
  static final int MAX_NESTING = 1000;

  /** How much of a received value or frame an error message quotes. */
  private static final int QUOTED_CHARS = 200;

  /**
   * The JSON object of a received frame.
   *
   * @throws ProtocolViolation when the frame exceeds the limit or is not exactly one JSON object
   */
  static JsonObject parseObject(String frame) throws ProtocolViolation {
    // chars first: counting UTF-8 bytes is only worth it for a frame that may be over
    if (frame.length() > MAX_FRAME_BYTES / 3) {
      int length = frame.getBytes(StandardCharsets.UTF_8).length - (frame.endsWith("\n") ? 1 : 0);
      if (length > MAX_FRAME_BYTES) {
        throw new ProtocolViolation("frame of " + length + " bytes, over the limit of " + MAX_FRAME_BYTES);
      }
    }
    try {
      JsonReader reader = new JsonReader(new StringReader(frame));
      reader.setStrictness(Strictness.STRICT);
      reader.setNestingLimit(MAX_NESTING);
      if (reader.peek() != JsonToken.BEGIN_OBJECT) {
        throw notAnObject(frame);
      }
      JsonElement parsed = JsonParser.parseReader(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw notAnObject(frame);
      }
      return parsed.getAsJsonObject();
    } catch (IOException | JsonParseException | IllegalStateException e) {
      throw notAnObject(frame);
    }
  }

  /** A message to send: a JSON object with its {@code type}, for the caller to add the fields. */
  static JsonObject message(String type) {
    JsonObject message = new JsonObject();
    message.addProperty("type", type);
    return message;
  }

  /**
   * {@code value} as JSON: a {@link JsonElement} as it is; a {@link String}, {@link Number} or
   * {@link Boolean} as a {@link JsonPrimitive}; {@code null} as {@link JsonNull}.
   *
   * @throws IllegalArgumentException for anything else, naming what is allowed
   */
  static JsonElement valueOf(Object value) {
    if (value == null) {
      return JsonNull.INSTANCE;
    }
    if (value instanceof JsonElement) {
      return (JsonElement) value;
    }
    if (value instanceof String) {
      return new JsonPrimitive((String) value);
    }
    if (value instanceof Number) {
      return new JsonPrimitive((Number) value);
    }
    if (value instanceof Boolean) {
      return new JsonPrimitive((Boolean) value);
    }
    throw new IllegalArgumentException("not a JSON value: a " + value.getClass().getName()
      + "; use a com.google.gson.JsonElement (JsonObject, JsonArray, JsonPrimitive, JsonNull), a String, a Number, a Boolean or null");
  }

  /**
   * The frame of a message, newline included, refused before anything is sent when it exceeds
   * the limit, so that the code that made the message (a job's output, its result) learns it.
   *
   * @throws IllegalArgumentException when the message holds a number that is not finite, or
   *                                  when its frame would exceed {@link #MAX_FRAME_BYTES}
   */
  static byte[] frame(JsonObject message) {
    StringWriter text = new StringWriter();
    try {
      JsonWriter writer = new JsonWriter(text);
      writer.setStrictness(Strictness.STRICT);
      writer.setSerializeNulls(true);
      write(writer, message);
      writer.flush();
    } catch (IOException e) {
      throw new IllegalStateException("a StringWriter failed", e);
    }
    byte[] utf8 = text.toString().getBytes(StandardCharsets.UTF_8);
    if (utf8.length > MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
        "message of " + utf8.length + " bytes exceeds the frame limit of " + MAX_FRAME_BYTES + " bytes");
    }
    byte[] line = Arrays.copyOf(utf8, utf8.length + 1);
    line[utf8.length] = '\n';
    return line;
  }

  // Gson's own writing (JsonElement.toString) is lenient and would send NaN; this one refuses it.
  private static void write(JsonWriter writer, JsonElement element) throws IOException {
    if (element.isJsonObject()) {
      writer.beginObject();
      for (Map.Entry<String, JsonElement> field : element.getAsJsonObject().entrySet()) {
        writer.name(field.getKey());
        write(writer, field.getValue());
      }
      writer.endObject();
    } else if (element.isJsonArray()) {
      writer.beginArray();
      for (JsonElement item : element.getAsJsonArray()) {
        write(writer, item);
      }
      writer.endArray();
    } else if (element.isJsonNull()) {
      writer.nullValue();
    } else {
      JsonPrimitive primitive = element.getAsJsonPrimitive();
      if (primitive.isString()) {
        writer.value(primitive.getAsString());
      } else if (primitive.isBoolean()) {
        writer.value(primitive.getAsBoolean());
      } else {
        writer.value(primitive.getAsNumber());
      }
    }
  }

  /** A received value, for an error message: its JSON type, and a number's text (shortened). */
  static String describe(JsonElement value) {
    if (value == null || value.isJsonNull()) {
      return "null";
    }
    if (value.isJsonObject()) {
      return "an object";
    }
    if (value.isJsonArray()) {
      return "an array";
    }
    JsonPrimitive primitive = value.getAsJsonPrimitive();
    if (primitive.isString()) {
      return "a string";
    }
    if (primitive.isBoolean()) {
      return "a boolean";
    }
    return "the number " + abbreviate(primitive.getAsString());
  }

  static String abbreviate(String text) {
    return text.length() <= QUOTED_CHARS ? text : text.substring(0, QUOTED_CHARS) + "...";
  }

  private static ProtocolViolation notAnObject(String frame) {
    return new ProtocolViolation("frame is not a JSON object: " + abbreviate(frame));
  }

  private Wire() {
  }
}
