package io.warmpool.testbed;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One run of a scenario against one worker: connects, waits for the idle pool to be warm,
 * sends the jobs on schedule spread over the connections, records what comes back, samples
 * the pool state, prints progress once a second, and completes {@link #finished()}.
 *
 * <p>Everything here runs on this verticle's one event loop, so the recorder and the timeline
 * need no locks. Every wait is bounded: each job has a deadline, and the whole run ends at
 * {@code durationMs + graceMs} at the latest, whatever the worker does.
 *
 * <p>It is one class of some 450 lines on purpose: the run's state (schedule, connections,
 * deadlines, timers) is one event loop's, and kept in one place it needs no lock and no hand-off.
 */
public final class LoadRun extends VerticleBase {

  static final long CONNECT_TIMEOUT_MS = 10_000;
  static final long WARMUP_LIMIT_MS = 30_000;
  static final long EXPIRE_EVERY_MS = 250;
  static final long PROGRESS_EVERY_MS = 1000;
  /** A closed loop waits this long before replacing a rejected job, so a full worker is not flooded. */
  static final long REJECTED_RETRY_MS = 20;
  /** A load above this before any job of ours ran means something else is using the machine. */
  static final double BUSY_BEFORE_START = 0.5;
  /** How long a warm pool's load may take to fall below {@link #BUSY_BEFORE_START} before the load starts anyway. */
  static final long SETTLE_LIMIT_MS = 10_000;

  private final Scenario scenario;
  private final Scenario.Variant variant;
  private final WorkerTarget target;
  private final ResourceSampler resources;
  private final PrintStream out;
  private final Recorder recorder = new Recorder();
  private final Timeline timeline = new Timeline();
  private final Random random;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final Promise<Void> done = Promise.promise();
  private final List<String> problems = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<WebSocket> sockets = new ArrayList<>();
  private WebSocketClient client;
  private WorkerHttp http;
  private ExternalLoadDriver externalLoad;
  private BusyMachine busyMachine;
  /** The pool's counters when the load started; null if they could not be read. */
  private ScalingCounts scalingAtStart;
  private ScalingCounts scaling;
  private WebSocket stateSocket;
  private long[] schedule;
  private int next;
  private long seq;
  private long warmupStartNanos;
  /** The worker measures CPU: its load reads 0 until its first sample, which is not a settled load. */
  private final boolean loadNeedsASample;
  private boolean loadSampled;
  private long loadStartNanos = -1;
  private long loadEndNanos = -1;
  private boolean arrivalsDone;
  private boolean ending;
  private boolean retryScheduled;
  private long paceTimer = -1;
  private long sampleTimer = -1;
  private long progressTimer = -1;
  private long expireTimer = -1;
  private long boundTimer = -1;

  public LoadRun(Scenario scenario, Scenario.Variant variant, WorkerTarget target, ResourceSampler resources, PrintStream out) {
    this.scenario = scenario;
    this.variant = variant;
    String source = variant.worker().getJsonObject("load", new JsonObject()).getString("source", "cpu");
    this.loadNeedsASample = "cpu".equals(source);
    this.target = target;
    this.resources = resources;
    this.out = out;
    this.random = new Random(scenario.seed());
  }

  /** Completes when every job has ended or its deadline passed, and the cool-down is over. */
  public Future<Void> finished() {
    return done.future();
  }

  public Recorder recorder() {
    return recorder;
  }

  public Timeline timeline() {
    return timeline;
  }

  /** Problems the run itself saw (connections lost, a pool that never warmed). */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** What a reader of the figures should know but that does not fail the run. */
  public List<String> notes() {
    return List.copyOf(notes);
  }

  /** Spawns and reaps of the pool from the start of the load to its end; null if not counted. */
  public ScalingCounts scaling() {
    return scaling;
  }

  /** From the start of the load to the last job's end (or the run's bound). */
  public long loadMs() {
    return loadStartNanos < 0 || loadEndNanos < 0 ? 0 : (loadEndNanos - loadStartNanos) / 1_000_000;
  }

  @Override
  public Future<?> start() {
    client = vertx.createWebSocketClient(new WebSocketClientOptions()
      .setConnectTimeout((int) CONNECT_TIMEOUT_MS)
      .setMaxFrameSize(1 << 20)
      .setMaxMessageSize(1 << 22)
      .setMaxConnections(scenario.connections() + 1)
      .setSsl(target.ssl()));
    http = new WorkerHttp(vertx, target);
    List<Future<WebSocket>> connecting = new ArrayList<>();
    for (int i = 0; i < scenario.connections(); i++) {
      int index = i;
      // the handler is set where the connection completes, on this context, so no frame is missed
      connecting.add(connect().map(ws -> {
        ws.textMessageHandler(this::onText);
        ws.closeHandler(v -> onClosed(index, ws));
        return ws;
      }));
    }
    Future<WebSocket> state = connect();
    return Future.all(connecting).compose(all -> state).compose(ws -> {
      connecting.forEach(f -> sockets.add(f.result()));
      stateSocket = ws;
      return timeline.subscribe(ws, this::onFrame)
        .timeout(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }).onSuccess(first -> {
      warmupStartNanos = System.nanoTime();
      if ("none".equals(scenario.warmup())) {
        begin();
      } else {
        out.printf("[%s] waiting for the idle pool to fill (at most %d s)%n", variant.name(), WARMUP_LIMIT_MS / 1000);
        waitForWarmPool();
      }
    });
  }

  private Future<WebSocket> connect() {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(target.host()).setPort(target.port())
      .setURI(target.uri()).setSsl(target.ssl()).setTimeout(CONNECT_TIMEOUT_MS);
    if (target.token() != null) {
      options.addHeader("Authorization", "Bearer " + target.token());
    }
    return client.connect(options);
  }

  @Override
  public Future<?> stop() {
    List<Future<Void>> closing = new ArrayList<>();
    if (client != null) {
      closing.add(client.close());
    }
    if (http != null) {
      closing.add(http.close());
    }
    return Future.join(closing);
  }

  // ---- warm-up -------------------------------------------------------------------------

  /**
   * Warm: the idle target is met and nothing is initialising, so the load meets the pool at rest.
   * The averaged load also lags the JVMs that just started by a load window: it is given until
   * {@link #SETTLE_LIMIT_MS} to fall, so their start-up is not taken for someone else's load. A
   * CPU load of 0 is the worker's before its first sample, when the pool may already be warm:
   * it does not count as settled.
   */
  private void waitForWarmPool() {
    JsonObject state = timeline.latest();
    JsonObject pool = state.getJsonObject("pool", new JsonObject());
    boolean warm = pool.getInteger("idle", 0) >= pool.getInteger("targetIdle", 0) && pool.getInteger("initializing", 0) == 0;
    double load = state.getDouble("load", 0.0);
    loadSampled |= load > 0 || !loadNeedsASample;
    boolean settled = loadSampled && load < BUSY_BEFORE_START;
    long waitedMs = (System.nanoTime() - warmupStartNanos) / 1_000_000;
    if (warm && (settled || waitedMs >= SETTLE_LIMIT_MS)) {
      begin();
    } else if (waitedMs >= WARMUP_LIMIT_MS) {
      problems.add("the idle pool was not warm after " + WARMUP_LIMIT_MS / 1000 + " s (" + pool.encode() + "); the load started anyway");
      begin();
    } else {
      vertx.setTimer(Timeline.STEP_MS, id -> waitForWarmPool());
    }
  }

  // ---- the load ------------------------------------------------------------------------

  /** Reads the pool's counters first, so that the run counts only what its load made the pool do. */
  private void begin() {
    http.metrics().onComplete(ar -> {
      if (ar.succeeded()) {
        scalingAtStart = ScalingCounts.parse(ar.result());
      } else {
        notes.add("the pool's spawns and reaps are not counted: " + ar.cause().getMessage());
      }
      // the run may have been aborted (the worker died) while the counters were being read
      if (!ending) {
        startLoad();
      }
    });
  }

  private void startLoad() {
    double before = timeline.latest().getDouble("load", 0.0);
    if (before >= BUSY_BEFORE_START) {
      String note = String.format(Locale.ROOT, "the worker's load was already %.2f before the first job: something else is "
        + "using the machine, so these figures are not the worker's alone", before);
      out.printf("[%s] note: %s%n", variant.name(), note);
      notes.add(note);
    }
    loadStartNanos = System.nanoTime();
    timeline.sample(0, recorder, resources);
    sampleTimer = vertx.setPeriodic(Timeline.STEP_MS, id -> timeline.sample(elapsedMs(), recorder, resources));
    progressTimer = vertx.setPeriodic(PROGRESS_EVERY_MS, id -> progress());
    expireTimer = vertx.setPeriodic(EXPIRE_EVERY_MS, id -> {
      recorder.expire(System.nanoTime());
      refill();
      checkDone();
    });
    // the safety net under every job's own deadline: the run cannot outlast this
    boundTimer = vertx.setTimer(scenario.durationMs() + scenario.graceMs() + 5000, id -> {
      problems.add("the run reached its time bound with " + recorder.openJobs() + " jobs open");
      end(false);
    });
    if (scenario.externalLoad() != null) {
      externalLoad = new ExternalLoadDriver(vertx, http, scenario.externalLoad(), this::elapsedMs, problem -> {
        out.printf("[%s] %s%n", variant.name(), problem);
        problems.add(problem);
      });
      externalLoad.start();
    }
    if (scenario.busyCores() > 0) {
      busyMachine = BusyMachine.start(scenario.busyCores());
    }
    if (scenario.arrival() instanceof ArrivalProfile.ClosedLoop) {
      refill();
    } else {
      schedule = scenario.arrival().schedule(scenario.durationMs());
      pace();
    }
  }

  private long elapsedMs() {
    return (System.nanoTime() - loadStartNanos) / 1_000_000;
  }

  /** Sends every arrival that is due, then sleeps until the next one. */
  private void pace() {
    paceTimer = -1;
    long elapsed = elapsedMs();
    while (next < schedule.length && schedule[next] <= elapsed) {
      submit();
      next++;
    }
    if (next < schedule.length) {
      paceTimer = vertx.setTimer(Math.max(1, schedule[next] - elapsed), id -> pace());
    } else {
      arrivalsDone = true;
      checkDone();
    }
  }

  /** Closed loop: tops the jobs in flight up to the set number until the duration is over. */
  private void refill() {
    if (!(scenario.arrival() instanceof ArrivalProfile.ClosedLoop closed) || ending) {
      return;
    }
    if (elapsedMs() >= scenario.durationMs()) {
      arrivalsDone = true;
      return;
    }
    while (recorder.openJobs() < closed.inFlight()) {
      submit();
    }
  }

  private void submit() {
    long now = System.nanoTime();
    String id = runId + "-" + seq;
    WebSocket ws = sockets.get((int) (seq % sockets.size()));
    seq++;
    JobMix.Entry entry = scenario.mix().pick(random);
    JsonObject frame = new JsonObject().put("op", "submit").put("ref", id).put("jobId", id).put("payload", entry.payload());
    if (entry.timeoutMs() > 0) {
      frame.put("timeoutMs", entry.timeoutMs());
    }
    recorder.submitted(id, entry, now, now + (entry.expectedMs() + scenario.jobMarginMs()) * 1_000_000);
    ws.writeTextMessage(frame.encode()).onFailure(err -> {
      recorder.error(id, "send-failed", System.nanoTime());
      checkDone();
    });
  }

  private void onText(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException e) {
      recorder.error("bad-frame-from-worker");
      return;
    }
    onFrame(frame);
  }

  private void onFrame(JsonObject frame) {
    long now = System.nanoTime();
    String type = frame.getString("type", "");
    switch (type) {
      case "accepted" -> recorder.accepted(frame.getString("jobId"));
      case "rejected" -> {
        recorder.rejected(frame.getString("ref"), frame.getString("reason"), now);
        retryLater();
      }
      case "job" -> {
        String event = frame.getString("event", "");
        String jobId = frame.getString("jobId");
        switch (event) {
          case "started" -> recorder.started(jobId, frame.getLong("pid", -1L), now);
          case "completed", "failed", "cancelled" -> {
            recorder.ended(jobId, event, frame.getString("reason"), now);
            refill();
          }
          default -> {
            // output events carry the job's data, which the load test does not look at
          }
        }
      }
      case "error" -> {
        String ref = frame.getString("ref");
        if (ref != null && !"timeline".equals(ref)) {
          recorder.error(ref, frame.getString("code"), now);
          refill();
        } else {
          recorder.error(frame.getString("code"));
        }
      }
      case "state" -> timeline.onState(frame);
      default -> recorder.error("unknown-frame-type");
    }
    checkDone();
  }

  private void retryLater() {
    if (retryScheduled || !(scenario.arrival() instanceof ArrivalProfile.ClosedLoop)) {
      return;
    }
    retryScheduled = true;
    vertx.setTimer(REJECTED_RETRY_MS, id -> {
      retryScheduled = false;
      refill();
    });
  }

  private void onClosed(int index, WebSocket ws) {
    if (!ending) {
      problems.add("connection " + index + " was closed by the worker during the run (status " + ws.closeStatusCode()
        + (ws.closeReason() == null ? "" : ", " + ws.closeReason()) + ")");
    }
  }

  private void checkDone() {
    if (loadStartNanos < 0 || ending) {
      return;
    }
    if (scenario.arrival() instanceof ArrivalProfile.ClosedLoop && elapsedMs() >= scenario.durationMs()) {
      arrivalsDone = true;
    }
    if (arrivalsDone && recorder.openJobs() == 0) {
      end(true);
    }
  }

  /** Stops the load; with a cool-down the timeline goes on a while before the run completes. */
  private void end(boolean coolDown) {
    if (ending) {
      return;
    }
    ending = true;
    loadEndNanos = System.nanoTime();
    if (busyMachine != null) {
      busyMachine.stop();
    }
    vertx.cancelTimer(paceTimer);
    vertx.cancelTimer(expireTimer);
    vertx.cancelTimer(boundTimer);
    recorder.expireAll();
    progress();
    // read at the end of the load, not after the cool-down: the figures are per minute of load
    Future<Void> counted = countScaling();
    long cool = coolDown ? scenario.cooldownMs() : 0;
    if (cool > 0) {
      out.printf("[%s] all jobs ended; watching the pool for %.1f s more%n", variant.name(), cool / 1000.0);
    }
    vertx.setTimer(Math.max(1, cool), id -> {
      vertx.cancelTimer(sampleTimer);
      vertx.cancelTimer(progressTimer);
      timeline.sample(elapsedMs(), recorder, resources);
      List<Future<Void>> closing = new ArrayList<>();
      closing.add(counted);
      if (externalLoad != null) {
        closing.add(externalLoad.stop());
      }
      sockets.forEach(ws -> closing.add(ws.close()));
      if (stateSocket != null) {
        closing.add(stateSocket.close());
      }
      // a close that fails or hangs must not keep the run open: the client is closed on undeploy
      Future.join(closing).timeout(2, TimeUnit.SECONDS).onComplete(ar -> done.tryComplete());
    });
  }

  /** The pool's spawns and reaps since the load started; completes (never fails) once known or noted as unknown. */
  private Future<Void> countScaling() {
    if (scalingAtStart == null) {
      return Future.succeededFuture();
    }
    return http.metrics()
      .onSuccess(page -> scaling = ScalingCounts.parse(page).since(scalingAtStart))
      .onFailure(err -> notes.add("the pool's spawns and reaps are not counted: " + err.getMessage()))
      .<Void>mapEmpty()
      .otherwiseEmpty();
  }

  /**
   * Ends the run at once from outside (the worker died): open jobs have no terminal event.
   * Safe to call from any thread.
   */
  public void abort(String why) {
    context.runOnContext(v -> {
      if (!ending) {
        problems.add(why);
        end(false);
      }
    });
  }

  // ---- progress ------------------------------------------------------------------------

  private void progress() {
    JsonObject state = timeline.latest();
    JsonObject pool = state == null ? new JsonObject() : state.getJsonObject("pool", new JsonObject());
    double elapsed = Math.min(elapsedMs(), ending ? (loadEndNanos - loadStartNanos) / 1_000_000 : Long.MAX_VALUE) / 1000.0;
    out.println(String.format(Locale.ROOT,
      "[%s %5.1f/%.0f s] submitted %d accepted %d rejected %d running %d | start p50 %.1f p99 %.1f ms"
        + " | idle %d init %d run %d target %d | %s load %.2f",
      variant.name(), elapsed, scenario.durationMs() / 1000.0,
      recorder.submitted(), recorder.accepted(), recorder.outcome("rejected"), recorder.running(),
      recorder.startLatencyMs(50), recorder.startLatencyMs(99),
      pool.getInteger("idle", 0), pool.getInteger("initializing", 0), pool.getInteger("running", 0),
      pool.getInteger("targetIdle", 0),
      state == null ? "?" : state.getString("status", "?"), state == null ? 0.0 : state.getDouble("load", 0.0)));
  }
}
