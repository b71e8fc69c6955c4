package io.warmpool.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.warmpool.testbed.JobMix;
import io.warmpool.testbed.Recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The soak's jobs: demo {@code echo} jobs with a few hundred bytes of data and 2 outputs, so
 * that the worker's records and event logs hold data, sent at a constant open-loop rate over a
 * few WebSocket connections for the run's duration. The ledger is the load test's
 * {@link Recorder}: every accepted job must get exactly one terminal event within the margin.
 *
 * <p>Jobs in flight are capped: an arrival due while the cap is reached is held back and sent
 * as soon as a job ends, and counted, since then the worker did not sustain the rate. Arrivals
 * still held back when the duration is over are never sent. Everything runs on this verticle's
 * one event loop, so the ledger needs no lock; {@link #snapshot()} is what other threads read.
 */
final class SoakTraffic extends VerticleBase {

  static final long PACE_EVERY_MS = 5;
  static final long EXPIRE_EVERY_MS = 250;
  static final long SNAPSHOT_EVERY_MS = 500;
  static final long CONNECT_TIMEOUT_MS = 10_000;
  static final int OUTPUTS = 2;
  static final long WARMUP_MAX_S = 60;
  /** The job's data, echoed in its result and in each output: a few hundred bytes a job kept by the worker. */
  static final String VALUE = "soak-".repeat(60);

  /** What the traffic has done so far, for progress lines on another thread. */
  record Snapshot(long arrivals, long sent, long accepted, long completed, long rejected, long open, long heldBack,
                  long backlog, long lost, double startP50Ms, double startP99Ms) {
    static final Snapshot NONE = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  /**
   * The jobs' ledger and the traffic's own counts, once {@link #finished()} has completed.
   *
   * @param heldBackInWarmup arrivals held back in the first {@link #warmupSeconds} (the pool's
   *                         processes are fresh JVMs then), among {@code heldBack}
   */
  record Result(Recorder recorder, long arrivals, long sent, long heldBack, long heldBackInWarmup, long warmupSeconds,
                long maxBacklog, long neverSent, long outputs, double arrivalSeconds, List<String> problems) {

    /** Accepted jobs with no terminal event within the margin, and terminal events that came twice. */
    long lost() {
      return recorder.outcome("noTerminalEvent") + recorder.duplicateTerminalEvents();
    }

    /** Every arrival after the warm-up went out when it was due. */
    boolean sustained() {
      return heldBack == heldBackInWarmup && neverSent == 0;
    }
  }

  private final int port;
  private final SoakOptions options;
  private final Recorder recorder = new Recorder();
  private final JobMix.Entry job;
  private final JsonObject payload;
  private final Promise<Result> finished = Promise.promise();
  private final List<WebSocket> sockets = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private final String runId = Long.toString(System.currentTimeMillis(), 36);
  private volatile Snapshot snapshot = Snapshot.NONE;
  /** Held for the run: Vert.x closes a client nothing refers to any more when it is garbage collected. */
  private WebSocketClient client;
  private long startNanos;
  private long arrivals;
  private long sent;
  private long heldBack;
  private long heldBackInWarmup;
  private long backlog;
  private long maxBacklog;
  private long outputs;
  private boolean arrivalsDone;
  private double arrivalSeconds;

  SoakTraffic(int port, SoakOptions options) {
    this.port = port;
    this.options = options;
    this.payload = new JsonObject().put("op", "echo").put("value", VALUE).put("outputs", OUTPUTS);
    this.job = new JobMix.Entry("echo " + VALUE.length() + " chars, " + OUTPUTS + " outputs", 1, payload, 0, "completed", 0);
  }

  /** Completes once every job sent has ended or passed its margin, or the traffic was aborted. */
  Future<Result> finished() {
    return finished.future();
  }

  Snapshot snapshot() {
    return snapshot;
  }

  @Override
  public Future<?> start() {
    client = vertx.createWebSocketClient(new WebSocketClientOptions()
      .setConnectTimeout((int) CONNECT_TIMEOUT_MS).setMaxConnections(options.connections()));
    List<Future<WebSocket>> connecting = new ArrayList<>();
    for (int i = 0; i < options.connections(); i++) {
      int index = i;
      // handlers set where the connection completes, on this context, so that no frame is missed
      connecting.add(client.connect(port, "127.0.0.1", "/ws").map(ws -> {
        ws.textMessageHandler(this::onText);
        ws.closeHandler(v -> onClosed(index, ws));
        return ws;
      }));
    }
    return Future.all(connecting).onSuccess(all -> {
      connecting.forEach(f -> sockets.add(f.result()));
      startNanos = System.nanoTime();
      vertx.setPeriodic(PACE_EVERY_MS, id -> pace());
      vertx.setPeriodic(EXPIRE_EVERY_MS, id -> {
        recorder.expire(System.nanoTime());
        checkDone();
      });
      vertx.setPeriodic(SNAPSHOT_EVERY_MS, id -> takeSnapshot());
      // the bound under every job's own margin: the traffic cannot outlast it
      vertx.setTimer(TimeUnit.SECONDS.toMillis(options.seconds() + options.marginS()) + 5000,
        id -> abort("the traffic reached its time bound with " + recorder.openJobs() + " jobs open"));
    });
  }

  /** Ends at once (the worker died, or the bound passed): jobs still open are lost. Any thread. */
  void abortFromOutside(String why) {
    context.runOnContext(v -> abort(why));
  }

  private void abort(String why) {
    if (!finished.future().isComplete()) {
      problems.add(why);
      stopArrivals();
      recorder.expireAll();
      finish();
    }
  }

  // ---- arrivals --------------------------------------------------------------------------

  /** Every arrival due by now: the k-th is due at k / rate seconds. */
  private void pace() {
    if (arrivalsDone) {
      return;
    }
    double elapsedS = (System.nanoTime() - startNanos) / 1e9;
    if (elapsedS >= options.seconds()) {
      stopArrivals();
      checkDone();
      return;
    }
    long due = (long) Math.floor(elapsedS * options.rate()) + 1;
    while (arrivals < due) {
      arrivals++;
      if (backlog == 0 && recorder.openJobs() < options.maxInFlight()) {
        submit();
      } else {
        heldBack++;
        if (elapsedS < warmupSeconds()) {
          heldBackInWarmup++;
        }
        backlog++;
        maxBacklog = Math.max(maxBacklog, backlog);
      }
    }
  }

  /**
   * The first tenth of the run, at most {@value #WARMUP_MAX_S} s: the pool's processes are fresh
   * JVMs whose job path is not compiled yet, so arrivals held back then say little of the rate
   * the worker sustains.
   */
  long warmupSeconds() {
    return Math.min(WARMUP_MAX_S, options.seconds() / 10);
  }

  private void stopArrivals() {
    if (!arrivalsDone) {
      arrivalsDone = true;
      arrivalSeconds = (System.nanoTime() - startNanos) / 1e9;
    }
  }

  /** A job ended: arrivals held back go out now, while the duration lasts. */
  private void sendHeldBack() {
    while (!arrivalsDone && backlog > 0 && recorder.openJobs() < options.maxInFlight()) {
      backlog--;
      submit();
    }
  }

  private void submit() {
    List<WebSocket> open = sockets.stream().filter(ws -> !ws.isClosed()).toList();
    long now = System.nanoTime();
    String id = runId + "-" + sent;
    sent++;
    recorder.submitted(id, job, now, now + TimeUnit.SECONDS.toNanos(options.marginS()));
    if (open.isEmpty()) {
      recorder.error(id, "no-connection", now);
      return;
    }
    WebSocket ws = open.get((int) (sent % open.size()));
    JsonObject frame = new JsonObject().put("op", "submit").put("ref", id).put("jobId", id).put("payload", payload);
    ws.writeTextMessage(frame.encode()).onFailure(err -> {
      recorder.error(id, "send-failed", System.nanoTime());
      checkDone();
    });
  }

  // ---- what comes back -------------------------------------------------------------------

  private void onText(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException e) {
      recorder.error("bad-frame-from-worker");
      return;
    }
    long now = System.nanoTime();
    switch (frame.getString("type", "")) {
      case "accepted" -> recorder.accepted(frame.getString("jobId"));
      case "rejected" -> recorder.rejected(frame.getString("ref"), frame.getString("reason"), now);
      case "job" -> {
        String jobId = frame.getString("jobId");
        switch (frame.getString("event", "")) {
          case "started" -> recorder.started(jobId, frame.getLong("pid", -1L), now);
          case "output" -> outputs++;
          case "completed", "failed", "cancelled" -> recorder.ended(jobId, frame.getString("event"), frame.getString("reason"), now);
          default -> {
            // log events: the jobs are not sent with logs on
          }
        }
      }
      case "error" -> {
        String ref = frame.getString("ref");
        if (ref != null) {
          recorder.error(ref, frame.getString("code"), now);
        } else {
          recorder.error(frame.getString("code"));
        }
      }
      default -> recorder.error("unknown-frame-type");
    }
    sendHeldBack();
    checkDone();
  }

  private void onClosed(int index, WebSocket ws) {
    if (!finished.future().isComplete()) {
      problems.add(String.format(Locale.ROOT, "%.1f s into the run, ", (System.nanoTime() - startNanos) / 1e9)
        + "job connection " + index + " was closed (status " + ws.closeStatusCode()
        + (ws.closeReason() == null ? "" : ", " + ws.closeReason()) + "): its open jobs' events are lost to it");
    }
  }

  private void checkDone() {
    if (arrivalsDone && recorder.openJobs() == 0 && !finished.future().isComplete()) {
      finish();
    }
  }

  private void finish() {
    takeSnapshot();
    finished.complete(new Result(recorder, arrivals, sent, heldBack, heldBackInWarmup, warmupSeconds(), maxBacklog,
      arrivalsDone ? backlog : 0, outputs, arrivalSeconds, List.copyOf(problems)));
  }

  private void takeSnapshot() {
    snapshot = new Snapshot(arrivals, sent, recorder.accepted(), recorder.outcome("completed"), recorder.outcome("rejected"),
      recorder.openJobs(), heldBack, backlog, recorder.outcome("noTerminalEvent") + recorder.duplicateTerminalEvents(),
      recorder.startLatencyMs(50), recorder.startLatencyMs(99));
  }
}
