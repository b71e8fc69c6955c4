package io.warmpool.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Frames of the child protocol: one JSON object per line, UTF-8, ended by {@code \n}.
 *
 * <p>Decoding has one rule at both ends for what a reader does not know. A frame that is not
 * a JSON object with a string {@code type}, that exceeds {@link #MAX_FRAME_BYTES}, or that is a
 * known message with a field missing or mistyped is a {@link ProtocolException}. A frame of a
 * {@code type} this end does not know decodes to nothing and is to be ignored: that is how a
 * newer peer adds a message without breaking an older one. Unknown fields are ignored alike.
 */
public final class ProtocolCodec {

  /** A frame, not counting its newline, is at most 1 MiB of UTF-8 in either direction. */
  public static final int MAX_FRAME_BYTES = 1024 * 1024;

  /**
   * The frame of a message, newline included. The size is not checked: see
   * {@link #encodeWithinLimit} for a sender that must keep to the limit.
   *
   * @throws IllegalArgumentException when the message holds a value that is not JSON
   */
  public static byte[] encode(Message message) {
    String text;
    try {
      text = message.toJson().encode();
    } catch (RuntimeException e) {
      // EncodeException, or ClassCastException from a value Jackson cannot map
      throw new IllegalArgumentException("not a JSON value: " + e.getMessage(), e);
    }
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    byte[] line = Arrays.copyOf(utf8, utf8.length + 1);
    line[utf8.length] = '\n';
    return line;
  }

  /**
   * The frame of a message, refused before anything is sent when it exceeds the limit, so
   * that the code that made the message (a job's output, its result) learns it at once.
   *
   * @throws IllegalArgumentException when the message holds a value that is not JSON, or when
   *                                  its frame would exceed {@link #MAX_FRAME_BYTES}
   */
  public static byte[] encodeWithinLimit(Message message) {
    byte[] line = encode(message);
    int length = line.length - 1;
    if (length > MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
        "message of " + length + " bytes exceeds the frame limit of " + MAX_FRAME_BYTES + " bytes");
    }
    return line;
  }

  /** A frame from the worker; empty when its type is unknown here (to be ignored). */
  public static Optional<WorkerMessage> decodeWorkerMessage(String frame) throws ProtocolException {
    return Optional.ofNullable(workerMessage(fieldsOf(parse(frame))));
  }

  /** A frame from the worker; empty when its type is unknown here (to be ignored). */
  public static Optional<WorkerMessage> decodeWorkerMessage(Buffer frame) throws ProtocolException {
    return Optional.ofNullable(workerMessage(fieldsOf(parse(frame))));
  }

  /** A frame from a child; empty when its type is unknown here (to be ignored). */
  public static Optional<ChildMessage> decodeChildMessage(String frame) throws ProtocolException {
    return Optional.ofNullable(childMessage(fieldsOf(parse(frame))));
  }

  /** A frame from a child; empty when its type is unknown here (to be ignored). */
  public static Optional<ChildMessage> decodeChildMessage(Buffer frame) throws ProtocolException {
    return Optional.ofNullable(childMessage(fieldsOf(parse(frame))));
  }

  // Switches, not maps of method references: the child decodes its first message on the way to
  // ready, and a string switch costs it no lambda classes to spin at start-up.

  private static WorkerMessage workerMessage(MessageFields fields) throws ProtocolException {
    switch (fields.type()) {
      case WorkerMessage.Initialize.TYPE:
        return WorkerMessage.Initialize.decode(fields);
      case WorkerMessage.Start.TYPE:
        return WorkerMessage.Start.decode(fields);
      case WorkerMessage.Ping.TYPE:
        return WorkerMessage.Ping.decode(fields);
      case WorkerMessage.Shutdown.TYPE:
        return WorkerMessage.Shutdown.decode(fields);
      case WorkerMessage.Cancel.TYPE:
        return WorkerMessage.Cancel.decode(fields);
      default:
        return null;
    }
  }

  private static ChildMessage childMessage(MessageFields fields) throws ProtocolException {
    switch (fields.type()) {
      case ChildMessage.Hello.TYPE:
        return ChildMessage.Hello.decode(fields);
      case ChildMessage.Ready.TYPE:
        return ChildMessage.Ready.decode(fields);
      case ChildMessage.InitFailed.TYPE:
        return ChildMessage.InitFailed.decode(fields);
      case ChildMessage.Started.TYPE:
        return ChildMessage.Started.decode(fields);
      case ChildMessage.Output.TYPE:
        return ChildMessage.Output.decode(fields);
      case ChildMessage.Done.TYPE:
        return ChildMessage.Done.decode(fields);
      case ChildMessage.Failed.TYPE:
        return ChildMessage.Failed.decode(fields);
      case ChildMessage.Pong.TYPE:
        return ChildMessage.Pong.decode(fields);
      case ChildMessage.Exiting.TYPE:
        return ChildMessage.Exiting.decode(fields);
      case ChildMessage.Log.TYPE:
        return ChildMessage.Log.decode(fields);
      default:
        return null;
    }
  }

  private static MessageFields fieldsOf(JsonObject json) throws ProtocolException {
    Object type = json.getValue("type");
    if (!(type instanceof String)) {
      throw new ProtocolException("message without a string 'type': " + abbreviate(json.encode()));
    }
    return new MessageFields((String) type, json);
  }

  private static JsonObject parse(String frame) throws ProtocolException {
    // chars first: counting UTF-8 bytes is only worth it for a frame that may be over
    if (frame.length() > MAX_FRAME_BYTES / 3) {
      checkSize(frame.getBytes(StandardCharsets.UTF_8).length - trailingNewline(frame));
    }
    // checked first because the codec turns "null" into an empty object instead of failing
    if (!startsAnObject(frame)) {
      throw notAnObject(frame);
    }
    try {
      return new JsonObject(frame);
    } catch (RuntimeException e) {
      throw notAnObject(frame);
    }
  }

  private static JsonObject parse(Buffer frame) throws ProtocolException {
    checkSize(frame.length() - (frame.length() > 0 && frame.getByte(frame.length() - 1) == '\n' ? 1 : 0));
    int at = 0;
    while (at < frame.length() && isJsonSpace(frame.getByte(at))) {
      at++;
    }
    if (at == frame.length() || frame.getByte(at) != '{') {
      throw notAnObject(frame.toString(StandardCharsets.UTF_8));
    }
    try {
      return frame.toJsonObject();
    } catch (RuntimeException e) {
      throw notAnObject(frame.toString(StandardCharsets.UTF_8));
    }
  }

  private static void checkSize(int length) throws ProtocolException {
    if (length > MAX_FRAME_BYTES) {
      throw new ProtocolException("frame of " + length + " bytes, over the limit of " + MAX_FRAME_BYTES);
    }
  }

  private static int trailingNewline(String frame) {
    return frame.endsWith("\n") ? 1 : 0;
  }

  private static boolean startsAnObject(String frame) {
    for (int i = 0; i < frame.length(); i++) {
      char c = frame.charAt(i);
      if (!isJsonSpace(c)) {
        return c == '{';
      }
    }
    return false;
  }

  private static boolean isJsonSpace(int c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static ProtocolException notAnObject(String frame) {
    return new ProtocolException("frame is not a JSON object: " + abbreviate(frame));
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  private ProtocolCodec() {
  }
}
