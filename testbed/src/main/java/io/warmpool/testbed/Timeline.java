package io.warmpool.testbed;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The worker's pool state over a run: it subscribes to {@code pool} on its own WebSocket
 * connection, keeps the latest {@code state} frame, and every {@value #STEP_MS} ms adds a row
 * with that state, the client's counts so far and the processes' memory. A state frame comes
 * on every change, so the latest one is the state at the sample.
 *
 * <p>Used from the run's one Vert.x context; the rows are read once the run is over.
 */
public final class Timeline {

  public static final long STEP_MS = 100;

  /**
   * One sample.
   *
   * @param tMs from the start of the load (negative during the warm-up)
   * @param notRunningRssMb resident memory of the pooled processes not running a job (idle, starting, exiting)
   */
  public record Row(long tMs, String status, double load, double effectiveLoad, int idle, int initializing,
                    int running, int exiting, int target, int activeJobs, int waitingJobs,
                    long submitted, long started, long rejected, long ended,
                    double workerRssMb, double childrenRssMb, double notRunningRssMb) {

    int processes() {
      return idle + initializing + running + exiting;
    }
  }

  private final List<Row> rows = new ArrayList<>();
  private JsonObject latest;
  private double threshold = Double.NaN;
  private int maxIdle = -1;

  /**
   * Subscribes on {@code ws}; the future completes with the first state. Frames that are not
   * states go to {@code others} (this connection sends no jobs, so there should be none).
   */
  Future<JsonObject> subscribe(WebSocket ws, Consumer<JsonObject> others) {
    Promise<JsonObject> first = Promise.promise();
    ws.textMessageHandler(text -> {
      JsonObject frame = new JsonObject(text);
      if ("state".equals(frame.getString("type"))) {
        onState(frame);
        first.tryComplete(frame);
      } else {
        others.accept(frame);
      }
    });
    ws.writeTextMessage(new JsonObject().put("op", "subscribe").put("ref", "timeline").put("topic", "pool").encode())
      .onFailure(first::tryFail);
    return first.future();
  }

  void onState(JsonObject state) {
    latest = state;
    threshold = state.getDouble("threshold", threshold);
    JsonObject pool = state.getJsonObject("pool", new JsonObject());
    maxIdle = pool.getInteger("maxIdle", maxIdle);
  }

  /** The latest state, null before the first. */
  public JsonObject latest() {
    return latest;
  }

  public double threshold() {
    return threshold;
  }

  public int maxIdle() {
    return maxIdle;
  }

  /** Adds a row: the latest state with the client's counts and the memory read last. */
  void sample(long tMs, Recorder recorder, ResourceSampler resources) {
    if (latest == null) {
      return;
    }
    rows.add(row(tMs, latest, recorder.submitted(), recorder.started(), recorder.outcome("rejected"),
      recorder.submitted() - recorder.openJobs(), resources.workerRssMb(), resources.childrenRssMb(),
      resources.notRunningRssMb(recorder.runningPids())));
  }

  static Row row(long tMs, JsonObject state, long submitted, long started, long rejected, long ended,
                 double workerRssMb, double childrenRssMb, double notRunningRssMb) {
    JsonObject pool = state.getJsonObject("pool", new JsonObject());
    return new Row(tMs, state.getString("status", "?"), state.getDouble("load", 0.0),
      state.getDouble("effectiveLoad", state.getDouble("load", 0.0)),
      pool.getInteger("idle", 0), pool.getInteger("initializing", 0), pool.getInteger("running", 0),
      pool.getInteger("exiting", 0), pool.getInteger("targetIdle", 0),
      state.getInteger("activeJobs", 0), state.getInteger("waitingJobs", 0),
      submitted, started, rejected, ended, workerRssMb, childrenRssMb, notRunningRssMb);
  }

  /** For tests and reports built from rows recorded elsewhere. */
  void add(Row row) {
    rows.add(row);
  }

  void threshold(double threshold) {
    this.threshold = threshold;
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  /** Rows of the load itself: from its start on (the warm-up is left out of the figures). */
  List<Row> loadRows() {
    return rows.stream().filter(r -> r.tMs() >= 0).toList();
  }

  // ---- figures -------------------------------------------------------------------------

  /** Idle processes integrated over time: the warmth paid for, in process-seconds. */
  public double idleProcessSeconds() {
    return loadRows().stream().mapToDouble(r -> r.idle() * STEP_MS / 1000.0).sum();
  }

  /**
   * Memory held by the processes not running a job (idle, starting, exiting) integrated over
   * time, in MB·s: what keeping processes warm costs. Each sample takes the processes' own
   * resident memory, so a mix whose running jobs hold much memory does not count it as idle.
   * NaN without memory samples.
   */
  public double idleMemoryMbSeconds() {
    double sum = 0;
    boolean any = false;
    for (Row r : loadRows()) {
      if (Double.isNaN(r.notRunningRssMb())) {
        continue;
      }
      any = true;
      sum += r.notRunningRssMb() * STEP_MS / 1000.0;
    }
    return any ? sum : Double.NaN;
  }

  public boolean sawStatus(String status) {
    return loadRows().stream().anyMatch(r -> status.equals(r.status()));
  }

  public boolean sawTargetZero() {
    return loadRows().stream().anyMatch(r -> r.target() == 0);
  }

  /** The worker was full and later available again with an idle target above 0. */
  public boolean recoveredAfterFull() {
    boolean full = false;
    for (Row r : loadRows()) {
      if ("full".equals(r.status())) {
        full = true;
      } else if (full && "available".equals(r.status()) && r.target() > 0) {
        return true;
      }
    }
    return false;
  }

  /** Share of the samples during which the worker was full, 0..1. */
  public double fullShare() {
    List<Row> load = loadRows();
    return load.isEmpty() ? 0 : load.stream().filter(r -> "full".equals(r.status())).count() / (double) load.size();
  }

  public int maxRunning() {
    return loadRows().stream().mapToInt(Row::running).max().orElse(0);
  }

  public double maxLoad() {
    return loadRows().stream().mapToDouble(Row::load).max().orElse(0);
  }
}
