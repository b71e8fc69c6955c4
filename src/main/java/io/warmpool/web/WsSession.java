package io.warmpool.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.BusFailure;
import io.warmpool.bus.HopTrace;
import io.warmpool.bus.JobEvents;
import io.warmpool.bus.RejectReason;
import io.warmpool.bus.SubmitReplies;
import io.warmpool.bus.SubmitRequest;
import io.warmpool.bus.Submission;
import io.warmpool.config.WorkerConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One WebSocket connection on {@code /ws}: reads the client's frames, calls the pool over the
 * bus, and writes the job events and pool states the client asked for.
 *
 * <p>What a client that does not read can cost is bounded by the bytes queued for it, whatever
 * the frame: a client that does not keep up gets fewer state and output frames (the latest state
 * is kept and sent when it catches up), never fewer replies, {@code started} or terminal events.
 * Above {@code web.sendQueuePauseBytes} its own frames are no longer read (so it cannot make the
 * worker queue more replies) until the queue is down to half of that; a client that stays there
 * for {@code web.stallCloseMs}, whose queue would pass {@code web.sendQueueMaxBytes}, or whose
 * frame would take all clients' queues past {@code web.sendQueueTotalBytes}, is closed (1008)
 * with the reason. Every client is pinged, and one that stops answering is closed too.
 */
final class WsSession {

  /** At most one state frame per this many milliseconds: ~20 a second. */
  static final long STATE_MIN_GAP_MS = 50;
  /**
   * Requests to the pool one client may have unanswered; at this many its frames are no longer
   * read until half have come back. Its replies are bounded once queued; this bounds them before,
   * and the pool's work for it.
   */
  static final int MAX_REQUESTS_IN_FLIGHT = 16;
  private static final Buffer PING = Buffer.buffer("warmpool");

  private final Vertx vertx;
  private final Addresses addresses;
  private final ServerWebSocket ws;
  private final JobFanout fanout;
  private final WebStats stats;
  private final Set<String> followed = new HashSet<>();
  /** Jobs being watched whose record has not come yet: their live events, held back meanwhile. */
  private final Map<String, List<JsonObject>> replays = new HashMap<>();
  /** Jobs this connection submitted that have not ended: what {@code web.maxJobsPerConnection} bounds. */
  private final Set<String> unfinished = new HashSet<>();
  private final WorkerConfig.Web limits;
  private final Supplier<JsonObject> lastState;
  private boolean subscribed;
  private boolean closed;
  private JsonObject pendingState;
  private long lastStateNanos;
  private long stateTimer = -1;
  private long stallTimer = -1;
  private long pingTimer = -1;
  private long lastPongNanos;
  /** Bytes of frames written to the socket and not yet handed to the network. */
  private long queuedBytes;
  /** Reading from the client is paused: {@link #queuedBytes} went over the pause mark, or it pinged while its socket was full. */
  private boolean readingPaused;
  /** It pinged while its socket could take nothing more: never read from it again once it is being closed. */
  private boolean pingedWhileFull;
  private boolean repauseScheduled;
  /** Requests to the pool sent for this client and not answered yet. */
  private int requestsInFlight;
  /** Reading is held until more of those requests are answered. */
  private boolean heldForReplies;
  /** Whether the socket is paused now, for either reason. */
  private boolean socketPaused;

  WsSession(Vertx vertx, Addresses addresses, ServerWebSocket ws, JobFanout fanout, WebStats stats, WorkerConfig.Web limits,
            Supplier<JsonObject> lastState) {
    this.vertx = vertx;
    this.addresses = addresses;
    this.ws = ws;
    this.fanout = fanout;
    this.stats = stats;
    this.limits = limits;
    this.lastState = lastState;
    ws.drainHandler(v -> drained());
    // the only frames the worker answers without being asked through onText: Vert.x writes
    // the pong itself, so a client that pings and does not read is caught here
    ws.frameHandler(frame -> {
      if (frame.isPing()) {
        onPing();
      }
    });
  }

  /** Whether this client's frames are not read now, because too much is queued for it. */
  boolean readingPaused() {
    return readingPaused;
  }

  /**
   * Starts pinging the client: every {@code web.pingIntervalMs} a ping, and a client whose last
   * pong (or the connection's start) is older than {@code web.pingTimeoutMs} is closed. Browsers
   * and WebSocket libraries answer pings by themselves.
   */
  void start() {
    lastPongNanos = System.nanoTime();
    ws.pongHandler(data -> lastPongNanos = System.nanoTime());
    pingTimer = vertx.setPeriodic(limits.pingIntervalMs(), id -> ping());
  }

  private void ping() {
    if (!isOpen()) {
      return;
    }
    long silentMs = (System.nanoTime() - lastPongNanos) / 1_000_000;
    if (silentMs > limits.pingTimeoutMs()) {
      closed = true;
      String client = String.valueOf(ws.remoteAddress());
      stats.silentClients.log(() -> "closing WebSocket client " + client + ": no pong for " + silentMs
        + " ms (web.pingTimeoutMs " + limits.pingTimeoutMs() + ")");
      stats.silentClosed.increment();
      ws.close((short) 1001, "no pong within web.pingTimeoutMs");
      return;
    }
    ws.writePing(PING);
  }

  // ---- client frames -------------------------------------------------------------------

  /**
   * A client's ping, already answered by Vert.x. While the socket cannot take more, its frames
   * are no longer read, as when our own queue is over the pause mark: otherwise pongs would pile
   * up in the worker's heap for a client that pings and never reads them.
   */
  private void onPing() {
    if (!closed && !ws.isClosed() && ws.writeQueueFull()) {
      pingedWhileFull = true;
      if (!readingPaused) {
        pauseReading();
      }
    }
    if (socketPaused && !repauseScheduled) {
      // Vert.x hands a ping back the demand it took once its handlers have run, so a pause does
      // not hold while pings keep coming (and lets one more frame through after each): make it
      // again once this read is done
      repauseScheduled = true;
      vertx.runOnContext(v -> {
        repauseScheduled = false;
        if (socketPaused) {
          ws.pause();
        }
      });
    }
  }

  /** A request to the pool for this client, counted against {@link #MAX_REQUESTS_IN_FLIGHT}. */
  private Future<Message<JsonObject>> ask(String address, Object body, DeliveryOptions options) {
    requestsInFlight++;
    if (!heldForReplies && requestsInFlight >= MAX_REQUESTS_IN_FLIGHT) {
      heldForReplies = true;
      applyPause();
    }
    return vertx.eventBus().<JsonObject>request(address, body, options).andThen(answered -> {
      requestsInFlight--;
      if (heldForReplies && requestsInFlight <= MAX_REQUESTS_IN_FLIGHT / 2) {
        heldForReplies = false;
        if (isOpen()) {
          applyPause();
        }
      }
    });
  }

  private Future<Message<JsonObject>> ask(String address, Object body) {
    return ask(address, body, new DeliveryOptions());
  }

  /** Pauses or resumes the socket as the two reasons to hold it say. */
  private void applyPause() {
    boolean pause = readingPaused || heldForReplies;
    if (pause != socketPaused) {
      socketPaused = pause;
      if (pause) {
        ws.pause();
      } else {
        ws.resume();
      }
    }
  }

  void onText(String text) {
    long readNanos = System.nanoTime();
    if (!isOpen()) {
      // closed by the worker, frames still read until the client's close arrives: not served
      return;
    }
    try {
      ClientFrame frame = ClientFrame.parse(text);
      switch (frame.op()) {
        case "submit" -> submit(frame, readNanos);
        case "cancel" -> cancel(frame);
        case "watch" -> watch(frame);
        case "subscribe" -> subscribe(frame);
        case "unsubscribe" -> unsubscribe(frame);
        default -> throw new FrameException(ErrorCode.UNKNOWN_OP, frame.ref(),
          "unknown op " + ClientText.quote(frame.op()) + " (submit, cancel, watch, subscribe, unsubscribe)");
      }
    } catch (FrameException e) {
      send(e.toFrame(), true);
    }
  }

  void error(ErrorCode code, String message) {
    send(FrameException.errorFrame(code, null, message), true);
  }

  /** A submission enters the node here: it is read and given its id once, and handed on as it is. */
  private void submit(ClientFrame frame, long readNanos) {
    SubmitRequest request;
    try {
      request = SubmitRequest.parse(frame.body());
    } catch (IllegalArgumentException e) {
      throw new FrameException(ErrorCode.BAD_REQUEST, frame.ref(), e.getMessage());
    }
    if (unfinished.size() >= limits.maxJobsPerConnection()) {
      stats.rejected(RejectReason.CAPACITY.wireName());
      JsonObject state = lastState.get();
      send(SubmitReplies.rejected(RejectReason.CAPACITY, state.getDouble("load", 0.0), state.getDouble("threshold", 0.0),
        "this connection has " + unfinished.size() + " unfinished jobs (web.maxJobsPerConnection)").put("ref", frame.ref()), true);
      return;
    }
    // the id is fixed here, so the job is followed before any of its events can exist
    Submission submission = request.identified(readNanos);
    String jobId = submission.jobId();
    boolean counted = unfinished.add(jobId);
    boolean alreadyFollowing = followed.contains(jobId);
    follow(jobId);
    // the pool, or in a cluster the dispatcher, answers on this node: the submission stays in it
    ask(addresses.jobsSubmit(), submission, new DeliveryOptions().setLocalOnly(true))
      .onSuccess(reply -> {
        JsonObject body = reply.body();
        if (!SubmitReplies.isAccepted(body)) {
          stats.rejected(body.getString("reason", "unknown"));
          if (counted) {
            unfinished.remove(jobId);
          }
          if (!alreadyFollowing) {
            unfollow(jobId);
          }
        }
        send(body.copy().put("ref", frame.ref()), true);
      })
      .onFailure(err -> {
        if (counted) {
          unfinished.remove(jobId);
        }
        if (!alreadyFollowing) {
          unfollow(jobId);
        }
        send(busError(err, frame.ref()), true);
      });
  }

  private void cancel(ClientFrame frame) {
    String jobId = frame.requiredJobId();
    follow(jobId);
    ask(addresses.jobsCancel(), new JsonObject().put("jobId", jobId))
      .onSuccess(reply -> deliverIfMissed(jobId, reply.body()))
      .onFailure(err -> {
        unfollow(jobId);
        send(busError(err, frame.ref(), jobId), true);
      });
  }

  /**
   * The job's record, then the events the client has not seen (those after {@code fromSeq}, as
   * far as the worker kept them), then every further event, each once and in order: a client
   * that reconnects and watches from the last {@code seq} it saw loses nothing the worker kept.
   * Live events that arrive before the record are held back until the kept ones are sent.
   */
  private void watch(ClientFrame frame) {
    String jobId = frame.requiredJobId();
    long fromSeq = frame.fromSeq();
    replays.put(jobId, new ArrayList<>());
    follow(jobId);
    ask(addresses.jobsGet(), new JsonObject().put("jobId", jobId).put("fromSeq", fromSeq))
      .onSuccess(reply -> {
        JsonObject record = reply.body();
        JsonArray kept = (JsonArray) record.remove("events");
        long missed = record.getLong("missedEvents", 0L);
        record.remove("missedEvents");
        send(new JsonObject().put("type", "watching").put("ref", frame.ref()).put("jobId", jobId)
          .put("job", record).put("fromSeq", fromSeq).put("missedEvents", missed), true);
        long lastSent = fromSeq;
        List<JsonObject> live = replays.remove(jobId);
        for (Object event : kept) {
          lastSent = sendIfNewer(jobId, (JsonObject) event, lastSent);
        }
        for (JsonObject event : live == null ? List.<JsonObject>of() : live) {
          lastSent = sendIfNewer(jobId, event, lastSent);
        }
      })
      .onFailure(err -> {
        replays.remove(jobId);
        unfollow(jobId);
        send(busError(err, frame.ref(), jobId), true);
      });
  }

  /** Sends a job event numbered above {@code lastSent}; a terminal one ends the following. Returns the last seq sent. */
  private long sendIfNewer(String jobId, JsonObject event, long lastSent) {
    long seq = event.getLong("seq", 0L);
    if (seq <= lastSent) {
      return lastSent;
    }
    boolean terminal = JobEvents.isTerminal(event);
    if (terminal) {
      unfollow(jobId);
      unfinished.remove(jobId);
    }
    send(event, terminal || !"output".equals(event.getString("event")));
    return seq;
  }

  /**
   * A record that shows the job ended: its terminal event is sent unless the event itself
   * already reached this client (then it is no longer followed).
   */
  private void deliverIfMissed(String jobId, JsonObject record) {
    JsonObject terminal = record.getJsonObject("terminal");
    if (terminal != null && unfollow(jobId)) {
      unfinished.remove(jobId);
      send(terminal, true);
    }
  }

  /** The current state at once: the latest the pool published, or, before its first, the pool's answer. */
  private void subscribe(ClientFrame frame) {
    frame.requiredTopic();
    subscribed = true;
    JsonObject published = lastState.get();
    Future<JsonObject> current = !published.isEmpty() ? Future.succeededFuture(published)
      : ask(addresses.workerInfo(), null).map(Message::body);
    current
      .onSuccess(state -> {
        if (subscribed) {
          send(state.copy().put("type", "state").put("ref", frame.ref()), true);
          lastStateNanos = System.nanoTime();
        }
      })
      .onFailure(err -> send(busError(err, frame.ref()), true));
  }

  private void unsubscribe(ClientFrame frame) {
    frame.requiredTopic();
    subscribed = false;
    pendingState = null;
    send(new JsonObject().put("type", "unsubscribed").put("ref", frame.ref()).put("topic", "pool"), true);
  }

  private static JsonObject busError(Throwable err, String ref) {
    return busError(err, ref, null);
  }

  /**
   * The error frame of a failed bus request. A job not found or gone is named by the id the
   * client sent, as a client's text is shown (the pool's message repeats the whole id).
   */
  private static JsonObject busError(Throwable err, String ref, String jobId) {
    if (err instanceof ReplyException reply && reply.failureCode() == BusFailure.GONE) {
      return FrameException.errorFrame(ErrorCode.GONE, ref, jobId == null ? err.getMessage()
        : "job " + ClientText.quote(jobId) + " ended and its record has been dropped (job.retainMs, job.maxRecords, job.maxRecordsMb)");
    }
    if (err instanceof ReplyException reply && reply.failureCode() == BusFailure.NOT_FOUND) {
      return FrameException.errorFrame(ErrorCode.NOT_FOUND, ref, jobId == null ? err.getMessage()
        : "no job " + ClientText.quote(jobId) + " (never submitted here, or ended long ago)");
    }
    if (err instanceof ReplyException reply && reply.failureCode() == BusFailure.BAD_REQUEST) {
      return FrameException.errorFrame(ErrorCode.BAD_REQUEST, ref, err.getMessage());
    }
    return new JsonObject().put("type", "error").put("ref", ref).put("code", "unavailable")
      .put("message", "the worker did not answer: " + err.getMessage());
  }

  // ---- events to the client ------------------------------------------------------------

  private void follow(String jobId) {
    followed.add(jobId);
    fanout.follow(jobId, this);
  }

  private boolean unfollow(String jobId) {
    followed.remove(jobId);
    return fanout.unfollow(jobId, this);
  }

  /** Called by the fanout; it has already forgotten this session for the job when the event is terminal. */
  void jobEvent(JsonObject event, boolean terminal) {
    List<JsonObject> held = replays.get(event.getString("jobId"));
    if (held != null) {
      // a watch is waiting for the job's record: this goes out after the kept events
      held.add(event);
      return;
    }
    if (terminal) {
      followed.remove(event.getString("jobId"));
      unfinished.remove(event.getString("jobId"));
    }
    HopTrace.stamp(event, HopTrace.WRITTEN);
    send(event, terminal || !"output".equals(event.getString("event")));
  }

  void state(JsonObject state) {
    if (!subscribed) {
      return;
    }
    pendingState = state;
    if (stateTimer >= 0) {
      return;
    }
    long sinceMs = (System.nanoTime() - lastStateNanos) / 1_000_000;
    if (sinceMs >= STATE_MIN_GAP_MS) {
      flushState();
    } else {
      stateTimer = vertx.setTimer(STATE_MIN_GAP_MS - sinceMs, id -> {
        stateTimer = -1;
        flushState();
      });
    }
  }

  private void flushState() {
    if (pendingState == null || !subscribed || !isOpen()) {
      return;
    }
    if (backedUp()) {
      // kept, and sent when the queue drains: a slow client gets the latest state, not every state
      stats.droppedFrames.increment();
      return;
    }
    send(pendingState, false);
    pendingState = null;
    lastStateNanos = System.nanoTime();
  }

  /**
   * Writes a frame. Essential frames (replies, started and terminal events) are written unless
   * the queue would go over {@code web.sendQueueMaxBytes}, which closes the client; others are
   * dropped while the client's write queue is full or over the pause mark.
   */
  private void send(JsonObject frame, boolean essential) {
    if (!isOpen()) {
      return;
    }
    if (!essential && backedUp()) {
      stats.droppedFrames.increment();
      return;
    }
    String text = frame.encode();
    long size = utf8Length(text);
    // one frame larger than a cap still goes to a client that has read everything else
    if (queuedBytes > 0 && queuedBytes + size > limits.sendQueueMaxBytes()) {
      closeSlow("client", "send queue over web.sendQueueMaxBytes (" + limits.sendQueueMaxBytes() + ")",
        "over web.sendQueueMaxBytes: not reading");
      return;
    }
    if (queuedBytes > 0 && stats.queuedBytes + size > limits.sendQueueTotalBytes()) {
      // the worker's budget for all clients is spent: this one, which has not read its own, goes
      closeSlow("total", "all clients' send queues over web.sendQueueTotalBytes ("
        + limits.sendQueueTotalBytes() + ")", "over web.sendQueueTotalBytes: not reading");
      return;
    }
    queuedBytes += size;
    stats.queuedBytes += size;
    ws.writeTextMessage(text).onComplete(written -> {
      queuedBytes -= size;
      stats.queuedBytes -= size;
      if (readingPaused && queuedBytes <= limits.sendQueuePauseBytes() / 2) {
        resumeReading();
      }
    });
    if (!readingPaused && queuedBytes >= limits.sendQueuePauseBytes()) {
      pauseReading();
    }
  }

  /** Whether frames that can be left out are: the socket's write queue is full, or ours over the pause mark. */
  private boolean backedUp() {
    return ws.writeQueueFull() || queuedBytes >= limits.sendQueuePauseBytes();
  }

  /**
   * Stops reading the client's frames (they wait in the socket, and then in the network) until
   * what is queued for it has gone out: a client that does not read cannot make more replies.
   */
  private void pauseReading() {
    readingPaused = true;
    applyPause();
    stallTimer = vertx.setTimer(limits.stallCloseMs(), id -> {
      stallTimer = -1;
      closeSlow("stalled", "it read nothing of what was queued for it for " + limits.stallCloseMs()
        + " ms (web.stallCloseMs)", "stalled: not reading");
    });
  }

  /** The socket takes writes again: a client paused for it is read again, once our queue is low too. */
  private void drained() {
    if (readingPaused && queuedBytes <= limits.sendQueuePauseBytes() / 2) {
      resumeReading();
    } else {
      flushState();
    }
  }

  private void resumeReading() {
    readingPaused = false;
    vertx.cancelTimer(stallTimer);
    stallTimer = -1;
    if (isOpen()) {
      applyPause();
      flushState();
    }
  }

  /**
   * Closes a client that does not read; what was queued for it is released when the socket closes.
   *
   * @param kind   the metric's reason: {@code stalled}, {@code client} or {@code total}
   * @param why    for the log line
   * @param reason the close frame's reason, for the client
   */
  private void closeSlow(String kind, String why, String reason) {
    if (!isOpen()) {
      return;
    }
    closed = true;
    stats.slowClosed(kind);
    String client = String.valueOf(ws.remoteAddress());
    long queued = queuedBytes;
    stats.slowClients.log(() -> "closing WebSocket client " + client + " (" + queued + " bytes queued): " + why);
    ws.close((short) 1008, reason);
    if (readingPaused && !pingedWhileFull) {
      // read again, to see the client's answering close (what it still sends is not served) and
      // end the connection then, rather than when Vert.x gives up waiting for it. Not a client
      // that pings without reading: every ping read is a pong queued; it stays unread until
      // web.idleTimeoutMs ends the connection
      socketPaused = false;
      ws.resume();
    }
  }

  /** The bytes a text frame takes on the wire, without building them. */
  static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /**
   * A socket can be closed before its close handler has run; Vert.x then throws from writes and
   * from {@code writeQueueFull()}, so both are asked only of an open socket.
   */
  private boolean isOpen() {
    return !closed && !ws.isClosed();
  }

  void closed() {
    closed = true;
    vertx.cancelTimer(stateTimer);
    vertx.cancelTimer(stallTimer);
    vertx.cancelTimer(pingTimer);
    for (String jobId : followed) {
      fanout.unfollow(jobId, this);
    }
    followed.clear();
  }
}
