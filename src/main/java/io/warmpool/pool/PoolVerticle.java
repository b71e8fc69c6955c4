package io.warmpool.pool;

import io.warmpool.pool.policy.Admission;
import io.warmpool.pool.policy.MemoryPolicy;
import io.warmpool.pool.policy.SpawnBackoff;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.BusFailure;
import io.warmpool.bus.JobIdRequest;
import io.warmpool.bus.RejectReason;
import io.warmpool.bus.SubmitReplies;
import io.warmpool.bus.Submission;
import io.warmpool.bus.SubmissionCodec;
import io.warmpool.config.WorkerConfig;
import io.warmpool.load.LoadVerticle;
import io.warmpool.protocol.ProtocolCodec;
import io.warmpool.protocol.WorkerMessage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Owns the process pool and the jobs, and answers for them on the event bus: submissions,
 * cancels, job records, worker info and drain (addresses in {@link Addresses}). It publishes
 * every job event and, coalesced, every change of the pool's state.
 */
public final class PoolVerticle extends VerticleBase implements PoolListener, JobLifecycle.Listener {

  /** State changes inside this window are published once. */
  static final long STATE_COALESCE_MS = 20;
  static final long TICK_MS = 100;

  private final WorkerConfig config;
  private final Addresses addresses;
  private final PoolMetrics metrics;
  /** This node's id in the cluster, or {@code null} for a standalone worker. */
  private final String nodeId;
  private final Function<Vertx, ChildLauncher> launchers;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private ChildLauncher launcher;
  private JobLifecycle jobs;
  private Admission admission;
  private ProcessPool pool;
  private long tickTimer;
  private long healthTimer;
  private boolean statePublishScheduled;
  private JsonObject lastPublishedState;
  private Promise<Void> drain;
  private long drainTimer = -1;
  private boolean drainOnStop;
  /** Jobs waiting or running, kept by {@link #stateChanged()} for the jobs load source's worker thread. */
  private volatile int activeJobCount;

  /** The pool of a standalone worker: it answers {@code <prefix>.jobs.*} itself. */
  public PoolVerticle(WorkerConfig config, MeterRegistry registry) {
    this(config, registry, null);
  }

  /**
   * @param nodeId this node's id in the cluster (the cluster manager's), or {@code null} for a
   *               standalone worker; the pool of a clustered node answers at its node addresses
   */
  public PoolVerticle(WorkerConfig config, MeterRegistry registry, String nodeId) {
    this(config, registry, nodeId, false);
  }

  /**
   * @param drainOnStop whether undeploying the pool drains it first (running jobs go on up to
   *                    {@code drain.timeoutMs}), as an embedded pool's does: it may be undeployed
   *                    with the application's verticle that deployed it, or with its Vert.x.
   *                    Without it, undeploying ends running jobs {@code shutdown} at once
   */
  public PoolVerticle(WorkerConfig config, MeterRegistry registry, String nodeId, boolean drainOnStop) {
    this(config, registry, nodeId, vertx -> new ProcessLauncher(vertx, config.child(), archiveTimeout(config),
      config.pool().initTimeoutMs()));
    this.drainOnStop = drainOnStop;
  }

  /** A training run of the class-data archive runs the prewarm, so it gets the prewarm's time and a minute for the JVMs. */
  private static Duration archiveTimeout(WorkerConfig config) {
    return Duration.ofMillis(config.pool().initTimeoutMs()).plusMinutes(1);
  }

  /** With children from {@code launchers}: the pool's tests keep them in memory. */
  PoolVerticle(WorkerConfig config, MeterRegistry registry, String nodeId, Function<Vertx, ChildLauncher> launchers) {
    this.config = config;
    this.addresses = Addresses.of(config.bus().prefix());
    this.metrics = new PoolMetrics(registry, addresses.prefix());
    this.nodeId = nodeId;
    this.launchers = launchers;
  }

  @Override
  public Future<?> start() {
    if (nodeId == null && vertx.isClustered()) {
      // its consumers would be a second answerer of <prefix>.jobs.submit beside the dispatcher's
      return Future.failedFuture("a clustered Vert.x needs the node id: new PoolVerticle(config, registry, nodeId)");
    }
    admission = new Admission(config.load());
    jobs = new JobLifecycle(vertx, config.job(), this);
    launcher = launchers.apply(vertx);
    return launcher.open().compose(v -> {
      pool = new ProcessPool(vertx, config, launcher, jobs, admission, this);
      // every consumer is local, so that in a cluster each node's web verticle and dispatcher talk
      // to their own pool; other nodes reach it only at its node addresses
      // submissions come typed from this node's verticles, as JSON from bus clients and other nodes
      SubmissionCodec.registerOn(vertx.eventBus());
      if (nodeId == null) {
        consumers.add(vertx.eventBus().localConsumer(addresses.jobsSubmit(), this::onSubmit));
        consumers.add(vertx.eventBus().<JsonObject>localConsumer(addresses.jobsCancel(), this::onCancel));
        consumers.add(vertx.eventBus().<JsonObject>localConsumer(addresses.jobsGet(), this::onGet));
      } else {
        // in a cluster the dispatcher (io.warmpool.cluster) answers <prefix>.jobs.* and reaches
        // this pool, like every other node's dispatcher does, at <prefix>.node.<nodeId>.jobs.*
        consumers.add(vertx.eventBus().consumer(addresses.onNode(nodeId, addresses.jobsSubmit()), this::onSubmit));
        consumers.add(vertx.eventBus().<JsonObject>consumer(addresses.onNode(nodeId, addresses.jobsCancel()), this::onCancel));
        consumers.add(vertx.eventBus().<JsonObject>consumer(addresses.onNode(nodeId, addresses.jobsGet()), this::onGet));
      }
      consumers.add(vertx.eventBus().localConsumer(addresses.workerInfo(), msg -> msg.reply(info())));
      consumers.add(vertx.eventBus().localConsumer(addresses.workerDrain(), msg -> drain().onComplete(ar -> msg.reply(state()))));
      consumers.add(vertx.eventBus().<JsonObject>localConsumer(addresses.load(), this::onLoadSample));
      tickTimer = vertx.setPeriodic(TICK_MS, id -> pool.tick());
      healthTimer = vertx.setPeriodic(config.pool().pingIntervalMs(), id -> pool.healthCheck());
      pool.pump();
      // a clustered registration reaches the other nodes asynchronously: started means reachable
      return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
    })
      // the pool's own load verticle, deployed from here so that it is this deployment's child
      // (undeployed with it, before stop() runs) and a pool deployed alone is fed load samples
      .compose(v -> vertx.deployVerticle(new LoadVerticle(config.load(), addresses, () -> activeJobCount)));
  }

  /**
   * Kills every child process of this JVM's pools now, with everything each started, without
   * draining or closing anything: for a worker that must stop at once (a second SIGTERM).
   * Blocking; from any thread.
   */
  public static void killEveryChildNow() {
    ProcessLauncher.killAllNow();
  }

  @Override
  public Future<?> stop() {
    // the load verticle is a child deployment: Vert.x has undeployed it already. While draining
    // the pool still answers: submissions are rejected draining, cancels and gets go on
    return (drainOnStop ? drain() : Future.<Void>succeededFuture()).compose(v -> {
      vertx.cancelTimer(tickTimer);
      vertx.cancelTimer(healthTimer);
      vertx.cancelTimer(drainTimer);
      consumers.forEach(MessageConsumer::unregister);
      return pool.close().compose(closed -> launcher.close()).onComplete(closed -> metrics.close());
    });
  }

  // ---- bus handlers --------------------------------------------------------------------

  /** A submission arrives read and with its id (from this node), or as JSON: read here, once. */
  private void onSubmit(Message<Object> message) {
    Submission submission = Submission.readOrFail(message);
    if (submission == null) {
      return;
    }
    byte[] startFrame;
    try {
      // once: the size is checked on these bytes, and they are what the child is sent
      startFrame = ProtocolCodec.encode(new WorkerMessage.Start(submission.jobId(), submission.payload()));
    } catch (IllegalArgumentException e) {
      // a typed submission from a verticle of this node may hold a value JSON cannot carry
      message.fail(BusFailure.BAD_REQUEST, "the payload is not JSON: " + e.getMessage());
      return;
    }
    message.reply(admit(submission, startFrame));
  }

  private JsonObject admit(Submission submission, byte[] startFrame) {
    RejectReason reason = admission.check(pool.degraded(), pool.counts().idle());
    String why = null;
    int startFrameBytes = startFrame.length - 1;
    if (startFrameBytes > ProtocolCodec.MAX_FRAME_BYTES) {
      // no child can read it: handed over, it would make the child exit, and then the next two
      reason = RejectReason.TOO_LARGE;
      why = "the job's start frame would be " + startFrameBytes + " bytes, over the child protocol's limit of "
        + ProtocolCodec.MAX_FRAME_BYTES + " bytes: send a smaller payload";
    } else if (reason == RejectReason.DRAINING) {
      why = "the worker is shutting down";
    } else if (jobs.contains(submission.jobId())) {
      reason = RejectReason.DUPLICATE;
      why = "a job with id '" + submission.jobId() + "' is known already";
    } else if (reason == RejectReason.DEGRADED) {
      SpawnBackoff backoff = pool.backoff();
      why = "processes fail to start (" + backoff.consecutiveFailures() + " in a row) and none is idle; last error: "
        + backoff.lastError();
    } else if (reason == RejectReason.FULL) {
      why = String.format("the load %.2f (with jobs accepted since the last sample) is at or over the threshold %.2f",
        admission.effectiveLoad(), admission.threshold());
    } else if (jobs.waiting() >= config.pool().maxWaitingJobs()) {
      reason = RejectReason.CAPACITY;
      why = jobs.waiting() + " jobs are already waiting for a process: pool.maxWaitingJobs is "
        + config.pool().maxWaitingJobs() + "; raise it to let more wait (each may hold up to "
        + ProtocolCodec.MAX_FRAME_BYTES / MemoryPolicy.MB + " MiB of payload in the worker's heap, docs/operations.md)";
    }
    if (reason != null) {
      return SubmitReplies.rejected(reason, admission.effectiveLoad(), admission.threshold(), why);
    }
    String id = submission.jobId();
    admission.accepted(id);
    pool.submit(new Job(submission, startFrame, System.nanoTime(), System.currentTimeMillis()));
    return SubmitReplies.accepted(id);
  }

  private void onCancel(Message<JsonObject> message) {
    Job job = findJob(message);
    if (job != null) {
      pool.cancel(job);
      message.reply(job.toJson());
    }
  }

  /**
   * The job's record; with {@code fromSeq}, also its kept events numbered above it
   * ({@code events}) and how many of those are no longer kept ({@code missedEvents}).
   */
  private void onGet(Message<JsonObject> message) {
    Job job = findJob(message);
    if (job == null) {
      return;
    }
    JsonObject record = job.toJson();
    Object fromSeq = message.body().getValue("fromSeq");
    if (fromSeq != null) {
      if (!(fromSeq instanceof Number) || ((Number) fromSeq).longValue() < 0) {
        message.fail(BusFailure.BAD_REQUEST, "fromSeq must be a number >= 0 (the seq of the last event seen; 0 for all)");
        return;
      }
      JobEventLog.Replay replay = job.eventsAfter(((Number) fromSeq).longValue());
      record.put("events", new JsonArray(replay.events())).put("missedEvents", replay.missed());
    }
    message.reply(record);
  }

  /** The job the message names, or null once the message has been failed with the reason. */
  private Job findJob(Message<JsonObject> message) {
    String id = JobIdRequest.jobIdOrFail(message);
    if (id == null) {
      return null;
    }
    Job job = jobs.get(id);
    if (job == null && jobs.wasDropped(id)) {
      message.fail(BusFailure.GONE, "job '" + id + "' ended and its record has been dropped"
        + " (older than job.retainMs, or beyond job.maxRecords or job.maxRecordsMb)");
    } else if (job == null) {
      message.fail(BusFailure.NOT_FOUND, "no job '" + id + "' (never submitted here, or ended long ago)");
    }
    return job;
  }

  private void onLoadSample(Message<JsonObject> message) {
    JsonObject sample = message.body();
    admission.onSample(sample.getDouble("load", 0.0), sample.getDouble("loadPerJob", 0.0), pool.counts().running());
    pool.pump();
  }

  // ---- drain ---------------------------------------------------------------------------

  /**
   * Stops taking jobs, lets the running ones finish up to {@code drain.timeoutMs}, then ends
   * what is left with reason {@code shutdown} and stops every process.
   */
  Future<Void> drain() {
    if (drain == null) {
      drain = Promise.promise();
      admission.drain();
      drainTimer = vertx.setTimer(config.drain().timeoutMs(), id -> finishDrain());
      pool.pump();
    }
    return drain.future();
  }

  private void finishDrain() {
    vertx.cancelTimer(drainTimer);
    pool.close().onComplete(ar -> drain.tryComplete());
  }

  // ---- state ---------------------------------------------------------------------------

  @Override
  public void stateChanged() {
    activeJobCount = activeJobs(pool.counts());
    if (drain != null && activeJobCount == 0) {
      finishDrain();
    }
    if (!statePublishScheduled) {
      statePublishScheduled = true;
      vertx.setTimer(STATE_COALESCE_MS, id -> publishState());
    }
  }

  @Override
  public void started(Job job) {
    metrics.jobStarted(job);
  }

  @Override
  public void eventsDropped(int count) {
    metrics.jobEventsDropped(count);
  }

  @Override
  public void recordDropped(JobRegistry.DropCause cause) {
    metrics.jobRecordDropped(cause);
  }

  @Override
  public void processSpawned(SpawnCause cause) {
    metrics.processSpawned(cause);
  }

  @Override
  public void processExited(ExitCause cause) {
    metrics.processExited(cause);
  }

  @Override
  public void spawnCpu(double cpuSeconds) {
    metrics.spawnCpu(cpuSeconds);
  }

  @Override
  public void spawnWasted(ExitCause cause, double cpuSeconds) {
    metrics.spawnWasted(cause, cpuSeconds);
  }

  @Override
  public void maxProcessesReached() {
    metrics.maxProcessesReached();
  }

  @Override
  public void ended(Job job) {
    admission.ended(job.id, job.startedNanos() > 0);
    metrics.jobEnded(job.terminalEvent().getString("event"));
  }

  @Override
  public void publish(JsonObject event) {
    vertx.eventBus().publish(addresses.jobsEvents(), event);
  }

  private void publishState() {
    statePublishScheduled = false;
    JsonObject state = state();
    if (!state.equals(lastPublishedState)) {
      lastPublishedState = state;
      metrics.state(state);
      vertx.eventBus().publish(addresses.poolState(), state);
    }
  }

  private int activeJobs(PoolCounts counts) {
    return jobs.waiting() + counts.running();
  }

  /** The WebSocket {@code state} frame. */
  JsonObject state() {
    PoolCounts counts = pool.counts();
    SpawnBackoff backoff = pool.backoff();
    JsonObject spawn = new JsonObject()
      .put("consecutiveInitFailures", backoff.consecutiveFailures())
      .put("backoffMs", backoff.delayNanos() / 1_000_000);
    if (backoff.lastError() != null) {
      spawn.put("lastInitError", backoff.lastError());
    }
    return new JsonObject()
      .put("type", "state")
      .put("status", admission.status().wireName())
      .put("degraded", pool.degraded())
      .put("load", admission.load())
      .put("effectiveLoad", admission.effectiveLoad())
      .put("threshold", admission.threshold())
      .put("activeJobs", activeJobs(counts))
      .put("waitingJobs", jobs.waiting())
      .put("pool", counts.toJson()
        .put("targetIdle", pool.target().targetIdle())
        .put("wantedIdle", pool.target().wantedIdle())
        .put("keepIdle", pool.target().keepIdle())
        .put("idlePolicy", pool.target().policy().configName())
        .put("scaleDownWindowMs", pool.target().scaleDownWindowMs())
        .put("residentMb", pool.totalResidentBytes() / MemoryPolicy.MB)
        .put("maxIdle", config.pool().maxIdle())
        .put("maxProcesses", config.pool().maxProcesses()))
      .put("spawn", spawn);
  }

  /** The {@code GET /worker} body. */
  private JsonObject info() {
    JsonObject info = state();
    info.remove("type");
    return info;
  }
}
