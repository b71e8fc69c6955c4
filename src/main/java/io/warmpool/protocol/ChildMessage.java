package io.warmpool.protocol;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Objects;

/** What a child sends to the worker. */
public sealed interface ChildMessage extends Message
  permits ChildMessage.Hello, ChildMessage.Ready, ChildMessage.InitFailed, ChildMessage.JobMessage,
  ChildMessage.Pong, ChildMessage.Exiting, ChildMessage.Log {

  /** A message about one job; its {@code jobId} echoes the one of that job's {@code start}. */
  sealed interface JobMessage extends ChildMessage
    permits ChildMessage.Started, ChildMessage.Output, ChildMessage.Done, ChildMessage.Failed {

    /** The job id exactly as {@code start} carried it: a JSON string or number. */
    Object jobId();
  }

  /** The first message on the channel; {@code runtime} is free text for people. */
  record Hello(String token, long pid, String runtime) implements ChildMessage {
    public static final String TYPE = "hello";

    public Hello {
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(runtime, "runtime");
    }

    static Hello decode(MessageFields fields) throws ProtocolException {
      return new Hello(fields.string("token"), fields.integer("pid"), fields.string("runtime"));
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public JsonObject toJson() {
      return MessageFields.message(TYPE).put("token", token).put("pid", pid).put("runtime", runtime);
    }
  }

  /** Prewarm done; the child is idle. */
  record Ready() implements ChildMessage {
    public static final String TYPE = "ready";

    static Ready decode(MessageFields fields) {
      return new Ready();
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public JsonObject toJson() {
      return MessageFields.message(TYPE);
    }
  }

  /** Prewarm failed; the worker kills the child. */
  record InitFailed(String error) implements ChildMessage {
    public static final String TYPE = "initFailed";

    public InitFailed {
      Objects.requireNonNull(error, "error");
    }

    static InitFailed decode(MessageFields fields) throws ProtocolException {
      return new InitFailed(fields.string("error"));
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public JsonObject toJson() {
      return MessageFields.message(TYPE).put("error", error);
    }
  }

  /** The job was received and is about to run. */
  record Started(Object jobId) implements JobMessage {
    public static final String TYPE = "started";

    public Started {
      MessageFields.requireJobId(jobId);
    }

    static Started decode(MessageFields fields) throws ProtocolException {
      return new Started(fields.jobId());
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public JsonObject toJson() {
      return MessageFields.message(TYPE).put("jobId", jobId);
    }
  }

  /** The job emitted output: any JSON value, {@code null} included. */
  record Output(Object jobId, Object data) implements JobMessage {
    public static final String TYPE = "output";

    public Output {
      MessageFields.requireJobId(jobId);
    }

    static Output decode(MessageFields fields) throws ProtocolException {
      return new Output(fields.jobId(), fields.value("data"));
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public JsonObject toJson() {
      return MessageFields.message(TYPE).put("jobId", jobId).put("data", data);
    }
  }

  /** The job completed with a result: any JSON value, {@code null} included. */
  record Done(Object jobId, Object result) implements JobMessage {
    public static final String TYPE = "done";

    public Done {
      MessageFields.requireJobId(jobId);
    }

    static Done decode(MessageFields fields) throws ProtocolException {
      return new Done(fields.jobId(), fields.value("result"));
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public JsonObject toJson() {
      return MessageFields.message(TYPE).put("jobId", jobId).put("result", result);
    }
  }

  /** The job threw; the child stays usable. */
  record Failed(Object jobId, String error) implements JobMessage {
    public static final String TYPE = "failed";

    public Failed {
      MessageFields.requireJobId(jobId);
      Objects.requireNonNull(error, "error");
    }

    static Failed decode(MessageFields fields) throws ProtocolException {
      return new Failed(fields.jobId(), fields.string("error"));
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public JsonObject toJson() {
      return MessageFields.message(TYPE).put("jobId", jobId).put("error", error);
    }
  }

  /** The answer to {@code ping}, with its {@code seq}. */
  record Pong(long seq) implements ChildMessage {
    public static final String TYPE = "pong";

    static Pong decode(MessageFields fields) throws ProtocolException {
      return new Pong(fields.integer("seq"));
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public JsonObject toJson() {
      return MessageFields.message(TYPE).put("seq", seq);
    }
  }

  /** The child is about to exit, on its own accord or on {@code shutdown}. */
  record Exiting(String reason) implements ChildMessage {
    public static final String TYPE = "exiting";

    public Exiting {
      Objects.requireNonNull(reason, "reason");
    }

    static Exiting decode(MessageFields fields) throws ProtocolException {
      return new Exiting(fields.string("reason"));
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public JsonObject toJson() {
      return MessageFields.message(TYPE).put("reason", reason);
    }
  }

  /**
   * A log record of the child, or of its job when {@code jobId} is not null (the SDK adds the
   * running job's id to the records made during a job). Allowed in any state after
   * {@code hello}; a record naming a job that is not the running one is no protocol error, since
   * a job may still log after it was cancelled.
   */
  record Log(String level, String message, JsonObject fields, Object jobId) implements ChildMessage {
    public static final String TYPE = "log";

    /** The levels a record may have, from the least to the most severe. */
    public static final List<String> LEVELS = List.of("debug", "info", "warn", "error");

    public Log {
      Objects.requireNonNull(level, "level");
      if (!LEVELS.contains(level)) {
        throw new IllegalArgumentException("level must be one of " + LEVELS + ", got '" + level + "'");
      }
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(fields, "fields");
      if (jobId != null) {
        MessageFields.requireJobId(jobId);
      }
    }

    static Log decode(MessageFields fields) throws ProtocolException {
      String level = fields.string("level");
      if (!LEVELS.contains(level)) {
        throw new ProtocolException("'log' message: field 'level' must be one of " + LEVELS + ", got '" + level + "'");
      }
      return new Log(level, fields.string("message"), fields.object("fields"), fields.optionalJobId());
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = MessageFields.message(TYPE).put("level", level).put("message", message).put("fields", fields);
      return jobId == null ? json : json.put("jobId", jobId);
    }
  }
}
