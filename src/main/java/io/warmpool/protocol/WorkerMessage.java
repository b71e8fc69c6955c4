package io.warmpool.protocol;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/** What the worker sends to a child. */
public sealed interface WorkerMessage extends Message
  permits WorkerMessage.Initialize, WorkerMessage.Start, WorkerMessage.Ping, WorkerMessage.Shutdown,
  WorkerMessage.Cancel {

  /** Run the prewarm hook, then answer {@code ready} or {@code initFailed}. */
  record Initialize(String entrypoint, JsonObject options) implements WorkerMessage {
    public static final String TYPE = "initialize";

    public Initialize {
      Objects.requireNonNull(entrypoint, "entrypoint");
      Objects.requireNonNull(options, "options");
    }

    static Initialize decode(MessageFields fields) throws ProtocolException {
      return new Initialize(fields.string("entrypoint"), fields.object("options"));
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public JsonObject toJson() {
      return MessageFields.message(TYPE).put("entrypoint", entrypoint).put("options", options);
    }
  }

  /**
   * Run one job. The job id is a JSON string or number (the worker's are strings); the child
   * echoes it with its JSON type, so it is kept as the value that came off the wire.
   */
  record Start(Object jobId, JsonObject payload) implements WorkerMessage {
    public static final String TYPE = "start";

    public Start {
      MessageFields.requireJobId(jobId);
      Objects.requireNonNull(payload, "payload");
    }

    static Start decode(MessageFields fields) throws ProtocolException {
      return new Start(fields.jobId(), fields.object("payload"));
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public JsonObject toJson() {
      return MessageFields.message(TYPE).put("jobId", jobId).put("payload", payload);
    }
  }

  /** Answer {@code pong} with the same {@code seq}. */
  record Ping(long seq) implements WorkerMessage {
    public static final String TYPE = "ping";

    static Ping decode(MessageFields fields) throws ProtocolException {
      return new Ping(fields.integer("seq"));
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

  /** Stop: interrupt a running job, send {@code exiting}, exit. */
  record Shutdown(String reason) implements WorkerMessage {
    public static final String TYPE = "shutdown";

    public Shutdown {
      Objects.requireNonNull(reason, "reason");
    }

    static Shutdown decode(MessageFields fields) throws ProtocolException {
      return new Shutdown(fields.string("reason"));
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
   * The client cancelled the running job {@code jobId}. The worker has already ended it for its
   * clients; the child tells the job so it can clean up, and gets {@code shutdown} after
   * {@code graceMs}. A child that runs another job (or none) ignores it.
   */
  record Cancel(Object jobId, long graceMs) implements WorkerMessage {
    public static final String TYPE = "cancel";

    public Cancel {
      MessageFields.requireJobId(jobId);
    }

    static Cancel decode(MessageFields fields) throws ProtocolException {
      return new Cancel(fields.jobId(), fields.integer("graceMs"));
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public JsonObject toJson() {
      return MessageFields.message(TYPE).put("jobId", jobId).put("graceMs", graceMs);
    }
  }
}
