package io.warmpool.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.net.http.HttpClient;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The state of one client and the one thread that owns it (the "client's thread"): the
 * connection, the requests waiting for an answer, the jobs followed, the reconnects. What comes
 * from the socket and from callers is handed to that thread; callers' futures and subscribers
 * run on the delivery threads ({@link Delivery}).
 *
 * <p>On a connection, the first frame is a probe (an {@code unsubscribe}, which changes nothing):
 * its answer shows the worker serves this client, so a wrong token fails {@code connect()}
 * rather than the first submit. When a connection drops, the requests that can safely be sent
 * again wait for the next one ({@link Pending#canResend}); a submit without a job id of the
 * caller's fails, since sending it again could run the job twice. Once reconnected, every
 * unfinished job is watched from the last {@code seq} taken, and each {@link JobTracker} drops
 * what it has already seen.
 *
 * <p>One piece, though long: each step (a frame read, a drop, a reconnect) reads and changes the
 * connection, the waiting requests and the followed jobs together, on the one thread. What
 * stands alone is out of it: {@link Connection}, {@link Pending}, {@link FollowedJobs},
 * {@link Broadcast}, {@link Backoff}.
 */
final class ClientSession implements Connection.Handler {

  private final ClientOptions options;
  private final HttpClient http;
  private final ScheduledExecutorService loop;
  private final ExecutorService delivery;
  private final Backoff backoff;
  final Broadcast<JsonObject> poolState;
  private final CompletableFuture<Void> connected = new CompletableFuture<>();

  // the client's thread only
  private Connection connection;
  /** The worker has answered the probe on {@link #connection}. */
  private boolean ready;
  /** Whether {@code subscribe} has been sent on this connection. */
  private boolean stateSubscribed;
  private boolean closing;
  /** Why the client ended; read by callers' threads too. */
  private volatile WarmpoolException closedError;
  private long disconnectedAtNanos = -1;
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private final FollowedJobs followed;
  private long nextRef;

  ClientSession(ClientOptions options, ScheduledExecutorService loop, ExecutorService delivery) {
    this.options = options;
    this.loop = loop;
    this.delivery = delivery;
    this.http = HttpClient.newBuilder().connectTimeout(options.getRequestTimeout()).build();
    this.backoff = new Backoff(options.getReconnectMinDelay(), options.getReconnectMaxDelay(), Math::random);
    this.followed = new FollowedJobs(delivery, options.getEventBufferSize());
    this.poolState = Broadcast.latestFirst(delivery, options.getEventBufferSize(), n -> onLoop(this::syncStateSubscription));
  }

  /** Opens the first connection; completes once the worker has answered the probe. */
  CompletableFuture<Void> start() {
    onLoop(this::open);
    return connected;
  }

  // ---- callers' requests, from any thread ------------------------------------------------

  CompletableFuture<SubmittedJob> submit(JsonObject payload, SubmitOptions submitOptions) {
    Pending request = Pending.submit(newRef(), payload, submitOptions);
    enqueue(request);
    return request.job;
  }

  CompletableFuture<SubmittedJob> watch(String jobId, long fromSeq) {
    Pending request = Pending.watch(newRef(), jobId, fromSeq);
    enqueue(request);
    return request.job;
  }

  CompletableFuture<JobOutcome> cancel(String jobId) {
    Pending request = Pending.cancel(newRef(), jobId);
    enqueue(request);
    return request.outcome;
  }

  void close() {
    onLoop(() -> shutdown(new WarmpoolException(WarmpoolException.CLOSED,
      "the client was closed; a job it followed goes on on the worker: watch it by its id from another client")));
  }

  private synchronized String newRef() {
    return "c" + (++nextRef);
  }

  private void enqueue(Pending request) {
    boolean queued = onLoop(() -> {
      if (closing) {
        request.fail(closedError(), delivery);
        return;
      }
      if (request.bytes > options.getMaxFrameBytes()) {
        request.fail(new WarmpoolException(WarmpoolException.TOO_LARGE, "the " + request.describe() + " is a frame of "
          + request.bytes + " bytes, over maxFrameBytes (" + options.getMaxFrameBytes() + ", the worker's web.maxFrameBytes)"), delivery);
        return;
      }
      await(request);
      if (ready) {
        send(request);
      }
    });
    if (!queued) {
      request.fail(closedError(), delivery);
    }
  }

  /** Waits for the answer to a caller's request, for {@code requestTimeout} at most. */
  private void await(Pending request) {
    pending.put(request.ref, request);
    request.timeout = loop.schedule(() -> timedOut(request), options.getRequestTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void timedOut(Pending request) {
    if (pending.remove(request.ref) == null) {
      return;
    }
    String what = "no answer to the " + request.describe() + " within " + options.getRequestTimeout().toMillis()
      + " ms (requestTimeout)";
    if (request.kind == Pending.Kind.SUBMIT && request.sent) {
      what += ": the worker may still have accepted the job";
    } else if (!request.sent) {
      what += ": not connected to " + options.getUrl();
    }
    request.fail(new WarmpoolException(WarmpoolException.TIMEOUT, what), delivery);
  }

  // ---- the connection --------------------------------------------------------------------

  private void open() {
    Connection.open(http, options, this).whenComplete((opened, err) -> onLoop(() -> opened(opened, err)));
  }

  private void opened(Connection opened, Throwable err) {
    if (closing) {
      if (opened != null) {
        opened.close();
      }
      return;
    }
    if (err != null) {
      WarmpoolException failure = unwrap(err);
      if (!connected.isDone() || Connection.isFinal(failure)) {
        shutdown(failure);
      } else {
        reconnectLater(failure.getMessage());
      }
      return;
    }
    connection = opened;
    ready = false;
    Pending probe = Pending.probe(newRef());
    pending.put(probe.ref, probe);
    // a worker that upgrades and then says nothing is as good as none
    probe.timeout = loop.schedule(() -> {
      if (pending.remove(probe.ref) != null && connection == opened) {
        opened.abort("the worker upgraded the connection but did not answer within "
          + options.getRequestTimeout().toMillis() + " ms (requestTimeout)");
      }
    }, options.getRequestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    send(probe);
    if (opened.isEnded()) {
      dropped(opened, "closed as it opened");
    }
  }

  /** The probe was answered: the worker serves this client. */
  private void ready() {
    ready = true;
    disconnectedAtNanos = -1;
    backoff.reset();
    if (!connected.isDone()) {
      Delivery.run(delivery, () -> connected.complete(null));
    }
    stateSubscribed = false;
    syncStateSubscription();
    followed.resumePoints().forEach((jobId, fromSeq) -> {
      Pending rewatch = Pending.rewatch(newRef(), jobId, fromSeq);
      pending.put(rewatch.ref, rewatch);
      send(rewatch);
    });
    for (Pending request : List.copyOf(pending.values())) {
      if (!request.sent) {
        send(request);
      }
    }
  }

  private void send(Pending request) {
    request.sent = true;
    connection.send(request.frame.toString());
  }

  @Override
  public void frame(Connection from, String text) {
    onLoop(() -> {
      if (from == connection && !closing) {
        received(text);
      }
    });
  }

  @Override
  public void closed(Connection from, String why) {
    onLoop(() -> dropped(from, why));
  }

  private void dropped(Connection from, String why) {
    if (from != connection || closing) {
      return;
    }
    connection = null;
    ready = false;
    String lost = "the connection to " + options.getUrl() + " ended: " + why;
    if (!connected.isDone()) {
      shutdown(new WarmpoolException(WarmpoolException.UNREACHABLE, lost));
      return;
    }
    if (!options.isReconnect()) {
      shutdown(new WarmpoolException(WarmpoolException.CONNECTION_LOST, lost + " (reconnect is off)"));
      return;
    }
    if (disconnectedAtNanos < 0) {
      disconnectedAtNanos = System.nanoTime();
    }
    followed.dropEarly();
    for (Pending request : List.copyOf(pending.values())) {
      if (request.isPerConnection()) {
        pending.remove(request.ref);
        request.answered();
      } else if (request.sent && !request.canResend()) {
        pending.remove(request.ref);
        request.fail(new WarmpoolException(WarmpoolException.CONNECTION_LOST, lost + " before the worker answered the "
          + request.describe() + ": the job may or may not have been accepted. It is not sent again, which could run "
          + "it twice; a submit with a job id of yours (SubmitOptions.setJobId) is"), delivery);
      } else if (request.sent) {
        request.sent = false;
        request.resent = request.kind == Pending.Kind.SUBMIT;
      }
    }
    reconnectLater(why);
  }

  private void reconnectLater(String why) {
    long downMs = (System.nanoTime() - disconnectedAtNanos) / 1_000_000;
    if (downMs >= options.getReconnectGiveUpAfter().toMillis()) {
      shutdown(new WarmpoolException(WarmpoolException.CONNECTION_LOST, "no connection to " + options.getUrl() + " for "
        + downMs + " ms (reconnectGiveUpAfter " + options.getReconnectGiveUpAfter().toMillis() + " ms); last: " + why));
      return;
    }
    loop.schedule(this::open, backoff.nextDelayMs(), TimeUnit.MILLISECONDS);
  }

  // ---- the worker's frames ---------------------------------------------------------------

  private void received(String text) {
    JsonObject frame;
    try {
      JsonElement parsed = JsonParser.parseString(text);
      if (!parsed.isJsonObject()) {
        return;
      }
      frame = parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      return;
    }
    String type = Json.string(frame, "type");
    String ref = Json.string(frame, "ref");
    Pending request = ref == null ? null : pending.remove(ref);
    if (request != null) {
      request.answered();
    }
    switch (type == null ? "" : type) {
      case "job" -> jobEvent(JobEvent.of(frame));
      case "state" -> {
        frame.remove("ref");
        poolState.publish(frame);
      }
      case "accepted" -> {
        if (request != null && request.kind == Pending.Kind.SUBMIT) {
          follow(request, Json.string(frame, "jobId"), 0);
        }
      }
      case "rejected" -> {
        if (request != null) {
          rejected(request, frame);
        }
      }
      case "watching" -> {
        if (request != null && request.kind == Pending.Kind.WATCH) {
          follow(request, request.jobId, request.fromSeq);
        }
      }
      case "unsubscribed" -> {
        if (request != null && request.kind == Pending.Kind.PROBE) {
          ready();
        }
      }
      case "error" -> error(request, frame);
      default -> {
        // a frame type added since: fields may be added, never renamed (docs/websocket.md)
      }
    }
  }

  private void rejected(Pending request, JsonObject frame) {
    String reason = Json.string(frame, "reason");
    if (request.resent && "duplicate".equals(reason)) {
      // the first sending reached the worker before the connection dropped: follow that job
      Pending watch = Pending.watchInstead(newRef(), request);
      await(watch);
      send(watch);
      return;
    }
    request.fail(new JobRejectedException(reason, Json.string(frame, "message"), Json.decimal(frame, "load"),
      Json.decimal(frame, "threshold")), delivery);
    dropEarlyEvents();
  }

  private void follow(Pending request, String jobId, long fromSeq) {
    JobTracker tracker = followed.follow(jobId, fromSeq);
    dropEarlyEvents();
    Delivery.run(delivery, () -> request.job.complete(tracker.job));
  }

  private void jobEvent(JobEvent event) {
    followed.event(event, pending.values().stream().anyMatch(p -> p.kind == Pending.Kind.SUBMIT && p.sent));
    if (event.isTerminal()) {
      // a cancel is answered by the job's terminal event (the worker sends it again if it was sent before)
      JobOutcome outcome = JobOutcome.of(event);
      for (Pending request : List.copyOf(pending.values())) {
        if (request.kind == Pending.Kind.CANCEL && request.jobId.equals(event.jobId())) {
          pending.remove(request.ref);
          request.answered();
          Delivery.run(delivery, () -> request.outcome.complete(outcome));
        }
      }
    }
  }

  private void dropEarlyEvents() {
    if (pending.values().stream().noneMatch(p -> p.kind == Pending.Kind.SUBMIT)) {
      followed.dropEarly();
    }
  }

  private void error(Pending request, JsonObject frame) {
    String code = Json.string(frame, "code");
    String message = Json.string(frame, "message");
    if (request == null) {
      unaddressedError(code, message);
      return;
    }
    WarmpoolException failure = new WarmpoolException(code, message);
    switch (request.kind) {
      case REWATCH -> {
        if (WarmpoolException.NOT_FOUND.equals(code) || WarmpoolException.GONE.equals(code)) {
          followed.lost(request.jobId, new WarmpoolException(code, "after a reconnect, the worker no longer had job "
            + request.jobId + " (it restarted, or job.retainMs passed): " + message));
        } else if (connection != null) {
          // the worker could not answer now: a fresh connection asks again
          connection.abort("the worker could not answer a watch after a reconnect: " + message);
        }
      }
      case SUBSCRIBE -> poolState.fail(failure);
      case PROBE -> shutdown(failure);
      default -> {
        request.fail(failure, delivery);
        dropEarlyEvents();
      }
    }
  }

  /** An error frame without a {@code ref}: the token refused, or a frame over the worker's limit. */
  private void unaddressedError(String code, String message) {
    if (WarmpoolException.UNAUTHORIZED.equals(code)) {
      shutdown(new WarmpoolException(code, message + ": give the worker's web.token (ClientOptions.setToken)"));
    } else if (WarmpoolException.TOO_LARGE.equals(code)) {
      // the worker drops such a frame unread: the largest one waiting for an answer is the one
      pending.values().stream()
        .filter(p -> p.sent && p.isCallers() && p.bytes >= 1024)
        .max(Comparator.comparingInt(p -> p.bytes))
        .ifPresent(p -> {
          pending.remove(p.ref);
          p.fail(new WarmpoolException(code, "the " + p.describe() + " (" + p.bytes + " bytes): " + message), delivery);
        });
    }
  }

  // ---- the pool state --------------------------------------------------------------------

  /** Subscribes on the worker while the pool state has subscribers, and unsubscribes when it has none. */
  private void syncStateSubscription() {
    if (!ready || closing) {
      return;
    }
    boolean wanted = poolState.subscribers() > 0;
    if (wanted && !stateSubscribed) {
      Pending subscribe = Pending.subscribe(newRef());
      pending.put(subscribe.ref, subscribe);
      send(subscribe);
    } else if (!wanted && stateSubscribed) {
      connection.send(ClientFrames.unsubscribe(newRef()).toString());
    }
    stateSubscribed = wanted;
  }

  // ---- the end ---------------------------------------------------------------------------

  /** Ends the client: every request and followed job told {@code failure}, the connection closed, the threads let go. */
  private void shutdown(WarmpoolException failure) {
    if (closing) {
      return;
    }
    closing = true;
    closedError = failure;
    if (!connected.isDone()) {
      Delivery.run(delivery, () -> connected.completeExceptionally(failure));
    }
    List<Pending> waiting = List.copyOf(pending.values());
    pending.clear();
    waiting.forEach(p -> p.fail(failure, delivery));
    followed.failAll(failure);
    if (WarmpoolException.CLOSED.equals(failure.code())) {
      poolState.complete();
    } else {
      poolState.fail(failure);
    }
    if (connection != null) {
      connection.close();
      connection = null;
    }
    loop.shutdown();
    delivery.shutdown();
  }

  private WarmpoolException closedError() {
    WarmpoolException failure = closedError;
    return failure != null ? failure : new WarmpoolException(WarmpoolException.CLOSED, "the client is closed");
  }

  /** Runs a task on the client's thread; {@code false} when the client has ended. */
  private boolean onLoop(Runnable task) {
    try {
      loop.execute(task);
      return true;
    } catch (RejectedExecutionException ended) {
      return false;
    }
  }

  private static WarmpoolException unwrap(Throwable err) {
    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    return cause instanceof WarmpoolException known ? known
      : new WarmpoolException(WarmpoolException.UNREACHABLE, String.valueOf(cause.getMessage()), cause);
  }
}
