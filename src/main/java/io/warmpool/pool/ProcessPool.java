package io.warmpool.pool;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.FailureReason;
import io.warmpool.bus.JobEvents;
import io.warmpool.bus.WorkerStatus;
import io.warmpool.config.WorkerConfig;
import io.warmpool.protocol.ChildMessage;
import io.warmpool.protocol.WorkerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToLongFunction;

/**
 * The pool of child processes: spawns them, hands jobs to idle ones, reaps them, and keeps the
 * idle count at the target the load allows. Every method runs on the pool verticle's event
 * loop; the only blocking work (starting a process, reading memory) goes to worker threads.
 *
 * <p>The processes map is the single owner of pool state: idle, initialising and running
 * counts are derived from it ({@link PoolCounts#of}) whenever they are needed.
 */
final class ProcessPool {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessPool.class);
  private static final int MAX_HAND_OVERS = 3;
  private static final long CHANNEL_LOSS_GRACE_MS = 1000;
  private static final int DEGRADED_AFTER_FAILURES = 3;
  /**
   * How long spawns for the idle target wait for a job just handed over to report started:
   * starting a JVM takes the CPU for a second, and on a small machine it delays reading the
   * child's answer by milliseconds. A job's own start comes first; a waiting job's spawn never waits.
   */
  private static final long HAND_OVER_FIRST_NANOS = 50_000_000;

  private final Vertx vertx;
  private final WorkerConfig config;
  private final ChildLauncher launcher;
  private final ChannelServer channels;
  private final JobRegistry jobs;
  private final Admission admission;
  private final PoolListener listener;
  private final SpawnBackoff backoff = new SpawnBackoff();
  private final TargetDamping damping;
  private final SpawnRamp ramp;
  private final MemoryPolicy memory;
  private final Random jitter = new Random();
  private final ChildMemoryReader memoryReader = new ChildMemoryReader();
  private final Map<Long, ChildProcess> processes = new LinkedHashMap<>();

  private long nextId = 1;
  private int targetIdle;
  private int wantedIdle;
  /** Idle processes not reaped as surplus ({@link TargetDamping.Levels#keep()}). */
  private int keepIdle;
  private TargetInputs lastInputs;
  private boolean atMaxProcesses;
  private long totalResidentBytes;
  private long surplusSinceNanos = -1;
  private boolean memoryCheckRunning;
  private Promise<Void> closed;

  ProcessPool(Vertx vertx, WorkerConfig config, ChannelServer channels, JobRegistry jobs, Admission admission,
              PoolListener listener) {
    this.vertx = vertx;
    this.config = config;
    this.launcher = new ChildLauncher(config.child());
    this.channels = channels;
    this.jobs = jobs;
    this.admission = admission;
    this.listener = listener;
    WorkerConfig.Pool pool = config.pool();
    this.damping = new TargetDamping(pool.scaleDownWindowMs());
    this.ramp = new SpawnRamp(pool.maxSpawnRate());
    this.memory = new MemoryPolicy(pool.memorySoftMb(), pool.totalMemorySoftMb(), pool.totalMemoryHardMb());
  }

  /** What the idle target was last computed from; a change inside the dead-band does not recompute it. */
  private record TargetInputs(WorkerStatus status, double load, int activeJobs) {

    /** Load changes smaller than this do not move the target. */
    static final double DEAD_BAND = 0.02;

    boolean near(TargetInputs other) {
      return other != null && status == other.status && activeJobs == other.activeJobs
        && Math.abs(load - other.load) < DEAD_BAND;
    }
  }

  // ---- state ---------------------------------------------------------------------------

  PoolCounts counts() {
    return PoolCounts.of(processes.values());
  }

  int targetIdle() {
    return targetIdle;
  }

  int keepIdle() {
    return keepIdle;
  }

  /** The target the load asks for before damping. */
  int wantedIdle() {
    return wantedIdle;
  }

  long scaleDownWindowMs() {
    return damping.windowMs();
  }

  long totalResidentBytes() {
    return totalResidentBytes;
  }

  SpawnBackoff backoff() {
    return backoff;
  }

  boolean degraded() {
    return backoff.consecutiveFailures() >= DEGRADED_AFTER_FAILURES;
  }

  List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    for (ChildProcess process : processes.values()) {
      if (process.pid() > 0) {
        pids.add(process.pid());
      }
    }
    return pids;
  }

  // ---- jobs ----------------------------------------------------------------------------

  void submit(Job job) {
    jobs.add(job);
    pump();
  }

  void cancel(Job job) {
    if (!jobs.end(job, JobEvents.cancelled(job.id), System.currentTimeMillis())) {
      return;
    }
    ChildProcess process = job.process;
    if (process != null && process.job == job) {
      // the job's code may hold anything: the process is not reused
      stop(process, ExitCause.CANCELLED, "its job was cancelled");
    }
    pump();
  }

  /**
   * The one place that reconciles the pool with what is wanted: hands waiting jobs to idle
   * processes, recomputes the idle target, spawns the shortfall and reaps the surplus.
   * Called after every event that can change any of those.
   */
  void pump() {
    if (closed != null) {
      return;
    }
    dispatchWaitingJobs();
    PoolCounts counts = counts();
    long now = System.nanoTime();
    updateTarget(counts, now);
    spawnShortfall(counts, now);
    reapSurplus(counts, now);
    listener.stateChanged();
  }

  private void updateTarget(PoolCounts counts, long now) {
    TargetInputs inputs = new TargetInputs(admission.status(), admission.load(), admission.jobsInLoad(counts.running()));
    if (!inputs.near(lastInputs)) {
      lastInputs = inputs;
      wantedIdle = ScalingPolicy.targetIdle(inputs.status(), inputs.load(), admission.threshold(), inputs.activeJobs(),
        config.pool().maxIdle());
    }
    switch (inputs.status()) {
      case AVAILABLE -> {
        TargetDamping.Levels levels = damping.apply(wantedIdle, counts.returning(), now);
        targetIdle = levels.target();
        keepIdle = levels.keep();
      }
      case FULL -> {
        // no idle process is spawned at full load (the seed's rule), but those already warm are
        // reaped only once the window has passed, as after any other drop of the target: load
        // swinging across the threshold would otherwise reap and respawn them on every swing
        targetIdle = 0;
        keepIdle = damping.apply(0, counts.returning(), now).keep();
      }
      case DRAINING -> {
        damping.reset();
        targetIdle = 0;
        keepIdle = 0;
      }
    }
  }

  private void dispatchWaitingJobs() {
    while (!jobs.waiting().isEmpty()) {
      ChildProcess process = oldest(ProcessState.IDLE, p -> p.idleSinceNanos);
      if (process == null) {
        return;
      }
      handOver(jobs.nextWaiting(), process);
    }
  }

  private void handOver(Job job, ChildProcess process) {
    process.moveTo(ProcessState.RUNNING);
    process.assign(job);
    job.process = process;
    job.state = Job.State.ASSIGNED;
    job.assignedNanos = System.nanoTime();
    job.handOvers++;
    WorkerMessage start = new WorkerMessage.Start(job.id, job.payload);
    // a failed write means the channel is gone: the process is killed and its reaping
    // puts the job back at the head of the queue for another process (agents-js #2321)
    process.channel().send(start).onFailure(err -> kill(process, ExitCause.HAND_OVER_FAILED, "hand-over failed: " + err.getMessage()));
  }

  /**
   * Spawns for jobs waiting at once (a job never waits on a ramp), and for the idle target at
   * the ramp's pace, unless the pool is over its total memory soft limit.
   */
  private void spawnShortfall(PoolCounts counts, long now) {
    int waiting = jobs.waiting().size();
    int maxProcesses = config.pool().maxProcesses();
    boolean blocked = counts.alive() >= maxProcesses && Math.max(targetIdle, waiting) > counts.idle() + counts.initializing();
    if (blocked && !atMaxProcesses) {
      listener.maxProcessesReached();
    }
    atMaxProcesses = blocked;
    if (!backoff.allowsSpawn(now)) {
      return;
    }
    int maxInits = backoff.maxInits(config.pool().maxConcurrentInits());
    int forDemand = ScalingPolicy.toSpawn(0, waiting, counts.idle(), counts.initializing(), counts.alive(),
      maxProcesses, maxInits);
    int forTarget = ScalingPolicy.toSpawn(targetIdle, waiting, counts.idle(), counts.initializing(), counts.alive(),
      maxProcesses, maxInits) - forDemand;
    if (!memory.allowsIdleSpawns(totalResidentBytes) || handOverInFlight(now)) {
      forTarget = 0; // held back without telling the ramp: the shortfall is still there
    } else {
      forTarget = ramp.allow(forTarget);
    }
    for (int i = 0; i < forDemand; i++) {
      spawn(now, "demand");
    }
    for (int i = 0; i < forTarget; i++) {
      damping.spawnedForTarget(now);
      spawn(now, "target");
    }
  }

  private boolean handOverInFlight(long now) {
    for (ChildProcess process : processes.values()) {
      Job job = process.job;
      if (job != null && job.state == Job.State.ASSIGNED && now - job.assignedNanos < HAND_OVER_FIRST_NANOS) {
        return true;
      }
    }
    return false;
  }

  private void reapSurplus(PoolCounts counts, long now) {
    int surplus = counts.idle() - keepIdle;
    if (surplus <= 0) {
      surplusSinceNanos = -1;
      return;
    }
    if (surplusSinceNanos < 0) {
      surplusSinceNanos = now;
      return;
    }
    if (now - surplusSinceNanos < config.pool().scaleDownDelayMs() * 1_000_000) {
      return;
    }
    surplusSinceNanos = -1;
    damping.surplusReaped(now);
    for (int i = 0; i < surplus; i++) {
      ChildProcess oldest = oldest(ProcessState.IDLE, p -> p.spawnedNanos);
      stop(oldest, ExitCause.SURPLUS, "surplus idle process (target " + targetIdle + ", kept " + keepIdle + ")");
    }
  }

  private ChildProcess oldest(ProcessState state, ToLongFunction<ChildProcess> age) {
    return processes.values().stream()
      .filter(p -> p.state() == state)
      .min(Comparator.comparingLong(age))
      .orElse(null);
  }

  // ---- spawning and initialisation -----------------------------------------------------

  private void spawn(long now, String cause) {
    listener.processSpawned(cause);
    ChildProcess process = new ChildProcess(nextId++, ChannelServer.newToken(), now);
    processes.put(process.id, process);
    channels.expect(process.token).onSuccess(channel -> onConnected(process, channel));
    process.initTimer = vertx.setTimer(config.pool().initTimeoutMs(),
      id -> failInit(process, "not ready within pool.initTimeoutMs (" + config.pool().initTimeoutMs() + " ms)"));
    int port = channels.port();
    vertx.executeBlocking(() -> {
        Process os = launcher.start(port, process.token);
        return new Object[] {os, ChildOutputLog.start(os)};
      }, false)
      .onSuccess(started -> onStarted(process, (Process) started[0], (ChildOutputLog) started[1]))
      .onFailure(err -> onStartFailed(process, err));
  }

  private void onStarted(ChildProcess process, Process os, ChildOutputLog outputLog) {
    process.attach(os, outputLog);
    LOG.debug("child {} started", process);
    Future.fromCompletionStage(os.onExit(), vertx.getOrCreateContext())
      .onComplete(ar -> onExit(process));
    if (process.state() == ProcessState.EXITING) {
      // stopped (init timeout, shutdown) before the OS process existed
      process.kill();
    }
  }

  private void onStartFailed(ChildProcess process, Throwable err) {
    vertx.cancelTimer(process.initTimer);
    channels.forget(process.token);
    process.moveTo(ProcessState.REAPED);
    forget(process);
    if (closed == null) {
      recordInitFailure("cannot start child " + launcher.program() + ": " + err.getMessage());
    }
    pump();
  }

  private void onConnected(ChildProcess process, ChildChannel channel) {
    if (process.state() != ProcessState.SPAWNED) {
      channel.close();
      return;
    }
    process.attach(channel);
    channel.messageHandler(message -> onMessage(process, message));
    channel.protocolErrorHandler(error -> kill(process, ExitCause.PROTOCOL_ERROR, error));
    channel.closeHandler(v -> onChannelLost(process));
    process.moveTo(ProcessState.INITIALIZING);
    channel.send(new WorkerMessage.Initialize(config.child().entrypoint(), new JsonObject()));
    listener.stateChanged();
  }

  private void onReady(ChildProcess process) {
    if (process.state() != ProcessState.INITIALIZING) {
      kill(process, ExitCause.PROTOCOL_ERROR, "ready while " + process.state());
      return;
    }
    vertx.cancelTimer(process.initTimer);
    backoff.success();
    long now = System.nanoTime();
    process.idleSinceNanos = now;
    process.lastPongNanos = now;
    int spread = config.pool().maxJobsPerProcessJitter();
    // Gunicorn's jitter: reused processes do not all reach their limit and restart together
    process.maxJobs = config.pool().maxJobsPerProcess() + (spread > 0 ? jitter.nextInt(spread + 1) : 0);
    process.moveTo(ProcessState.IDLE);
    LOG.debug("child {} ready in {} ms", process, (now - process.spawnedNanos) / 1_000_000);
    pump();
  }

  private void failInit(ChildProcess process, String error) {
    ProcessState state = process.state();
    if (state == ProcessState.SPAWNED || state == ProcessState.INITIALIZING) {
      process.initFailure = error;
      kill(process, ExitCause.INIT_FAILED, error);
    }
  }

  private void recordInitFailure(String error) {
    backoff.failure(error, System.nanoTime());
    int failures = backoff.consecutiveFailures();
    // once on the first failure, then at powers of two: a crash loop must not flood the log
    if (Integer.bitCount(failures) == 1) {
      LOG.warn("child initialisation failed ({} in a row; next spawn in {} ms): {}", failures,
        backoff.delayNanos() / 1_000_000, error);
    }
  }

  // ---- the channel ---------------------------------------------------------------------

  private void onMessage(ChildProcess process, ChildMessage message) {
    if (message instanceof ChildMessage.Ready) {
      onReady(process);
    } else if (message instanceof ChildMessage.InitFailed initFailed) {
      failInit(process, "prewarm failed: " + initFailed.error());
    } else if (message instanceof ChildMessage.Pong) {
      process.lastPongNanos = System.nanoTime();
    } else if (message instanceof ChildMessage.Exiting exiting) {
      LOG.debug("child {} exiting: {}", process, exiting.reason());
    } else if (message instanceof ChildMessage.JobMessage jobMessage) {
      onJobMessage(process, jobMessage);
    } else {
      kill(process, ExitCause.PROTOCOL_ERROR, "'" + message.type() + "' after the handshake");
    }
  }

  private void onJobMessage(ChildProcess process, ChildMessage.JobMessage message) {
    Job job = process.job;
    if (job == null || !job.id.equals(message.jobId())) {
      kill(process, ExitCause.PROTOCOL_ERROR,
        "'" + message.type() + "' for job " + message.jobId() + " while running " + (job == null ? "none" : job.id));
      return;
    }
    if (message instanceof ChildMessage.Started) {
      onJobStarted(process, job);
    } else if (message instanceof ChildMessage.Output output) {
      jobs.publish(job, JobEvents.output(job.id, output.data()));
    } else if (message instanceof ChildMessage.Done done) {
      onJobEnded(process, job, JobEvents.completed(job.id, done.result()));
    } else if (message instanceof ChildMessage.Failed failed) {
      onJobEnded(process, job, JobEvents.failed(job.id, FailureReason.ERROR, failed.error()));
    }
  }

  private void onJobStarted(ChildProcess process, Job job) {
    if (job.state != Job.State.ASSIGNED) {
      kill(process, ExitCause.PROTOCOL_ERROR, "job " + job.id + " started twice");
      return;
    }
    job.state = Job.State.RUNNING;
    job.startedNanos = System.nanoTime();
    job.startedAtMillis = System.currentTimeMillis();
    job.pid = process.pid();
    long timeoutMs = job.timeoutMs > 0 ? job.timeoutMs : config.job().timeoutMs();
    if (timeoutMs > 0) {
      process.jobTimer = vertx.setTimer(timeoutMs,
        id -> kill(process, ExitCause.TIMEOUT, "the job ran longer than " + timeoutMs + " ms"));
    }
    jobs.publish(job, JobEvents.started(job.id, job.pid));
    listener.jobStarted(job);
    // the replacement held back while the job was handed over
    pump();
  }

  private void onJobEnded(ChildProcess process, Job job, JsonObject terminalEvent) {
    jobs.end(job, terminalEvent, System.currentTimeMillis());
    vertx.cancelTimer(process.jobTimer);
    process.assign(null);
    boolean returns = process.returnsAfterJob();
    process.jobsRun++;
    if (process.state() == ProcessState.RUNNING) {
      if (!returns) {
        stop(process, ExitCause.RECYCLED, "recycled after " + process.jobsRun + " job(s)");
      } else {
        process.idleSinceNanos = System.nanoTime();
        process.moveTo(ProcessState.IDLE);
      }
    }
    pump();
  }

  private void onChannelLost(ChildProcess process) {
    if (process.state() == ProcessState.REAPED) {
      return;
    }
    // the process is most likely exiting by itself; wait briefly so its exit code is seen
    vertx.setTimer(CHANNEL_LOSS_GRACE_MS, id -> {
      if (process.state() != ProcessState.REAPED) {
        kill(process, ExitCause.CHANNEL_LOST, "its channel closed");
      }
    });
  }

  // ---- stopping and reaping ------------------------------------------------------------

  /** Asks a process to exit; kills it if it has not after {@code pool.closeTimeoutMs}. */
  void stop(ChildProcess process, ExitCause cause, String why) {
    ProcessState state = process.state();
    if (state == ProcessState.EXITING || state == ProcessState.REAPED) {
      return;
    }
    process.exitCause = cause;
    LOG.debug("stopping child {}: {}", process, why);
    vertx.cancelTimer(process.initTimer);
    process.moveTo(ProcessState.EXITING);
    if (process.channel() != null) {
      process.channel().send(new WorkerMessage.Shutdown(why));
    }
    long closeTimeoutMs = config.pool().closeTimeoutMs();
    process.closeTimer = vertx.setTimer(closeTimeoutMs, id -> {
      if (process.state() != ProcessState.REAPED) {
        LOG.warn("child {} did not exit within pool.closeTimeoutMs ({} ms); killing it", process, closeTimeoutMs);
        process.kill();
      }
    });
  }

  /**
   * Kills a process now. Its job, if it has one, ends at once with the cause's reason so the
   * client learns why without waiting for the reaping; a job the process never started is
   * handed to another process instead: none of its code ran, so the cause cannot be its own
   * (a hung process that was handed a job before it missed its pongs, say).
   */
  void kill(ChildProcess process, ExitCause cause, String detail) {
    if (process.state() == ProcessState.REAPED) {
      return;
    }
    if (process.exitCause == null || process.state() != ProcessState.EXITING) {
      process.exitCause = cause;
    }
    Job job = process.job;
    boolean handOverLost = job != null && job.state == Job.State.ASSIGNED;
    if (job != null && !job.isEnded() && !handOverLost) {
      FailureReason reason = cause.jobReason == null ? FailureReason.CRASHED : cause.jobReason;
      jobs.end(job, JobEvents.failed(job.id, reason, detail), System.currentTimeMillis());
    }
    if (process.state() != ProcessState.EXITING) {
      LOG.info("killing child {}: {}", process, detail);
      process.moveTo(ProcessState.EXITING);
    }
    process.kill();
    pump();
  }

  private void onExit(ChildProcess process) {
    ProcessState last = process.state();
    if (last == ProcessState.REAPED) {
      return;
    }
    vertx.cancelTimer(process.initTimer);
    vertx.cancelTimer(process.closeTimer);
    vertx.cancelTimer(process.jobTimer);
    channels.forget(process.token);
    if (process.channel() != null) {
      process.channel().close();
    }
    process.moveTo(ProcessState.REAPED);
    forget(process);
    String exit = "process exited with code " + process.process().exitValue();
    boolean neverReady = process.jobsRun == 0 && process.idleSinceNanos == 0;
    if (neverReady && closed == null && (process.initFailure != null || last != ProcessState.EXITING)) {
      recordInitFailure(process.initFailure != null ? process.initFailure : exit + " before it was ready");
    }
    Job job = process.job;
    if (job != null && !job.isEnded()) {
      if (job.state == Job.State.ASSIGNED && job.handOvers < MAX_HAND_OVERS && closed == null) {
        LOG.info("child {} died before starting job {}; handing it to another process", process, job.id);
        jobs.requeue(job);
      } else {
        jobs.end(job, JobEvents.failed(job.id, FailureReason.CRASHED, exit), System.currentTimeMillis());
      }
    }
    listener.processExited(process.exitCause != null ? process.exitCause : ExitCause.CRASHED);
    LOG.debug("child {} reaped: {}", process, exit);
    pump();
  }

  private void forget(ChildProcess process) {
    processes.remove(process.id);
    if (closed != null && processes.isEmpty()) {
      closed.tryComplete();
    }
  }

  // ---- periodic health -----------------------------------------------------------------

  /** Runs often (every 100 ms): scale-down delays, bounded waits and record expiry are checked here. */
  void tick() {
    ramp.tick();
    failJobsWaitingOnFailingInits();
    jobs.expire(System.currentTimeMillis());
    pump();
  }

  private void failJobsWaitingOnFailingInits() {
    if (backoff.consecutiveFailures() == 0 || jobs.waiting().isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    long boundNanos = config.pool().initTimeoutMs() * 1_000_000;
    for (Job job : List.copyOf(jobs.waiting())) {
      if (now - job.acceptedNanos >= boundNanos) {
        jobs.end(job, JobEvents.failed(job.id, FailureReason.INIT_FAILED,
          "no process could be initialised within " + config.pool().initTimeoutMs() + " ms; last failure: "
            + backoff.lastError()), System.currentTimeMillis());
      }
    }
  }

  /** Every {@code pool.pingIntervalMs}: pings, kills the unresponsive, checks memory. */
  void healthCheck() {
    long now = System.nanoTime();
    long pingTimeoutNanos = config.pool().pingTimeoutMs() * 1_000_000;
    for (ChildProcess process : List.copyOf(processes.values())) {
      ProcessState state = process.state();
      if (state != ProcessState.IDLE && state != ProcessState.RUNNING) {
        continue;
      }
      if (now - process.lastPongNanos > pingTimeoutNanos) {
        kill(process, ExitCause.UNRESPONSIVE, "no pong within pool.pingTimeoutMs (" + config.pool().pingTimeoutMs() + " ms)");
      } else {
        process.channel().send(new WorkerMessage.Ping(now));
      }
    }
    checkMemory();
  }

  private void checkMemory() {
    if (memoryCheckRunning) {
      return;
    }
    List<Long> pids = pids();
    if (pids.isEmpty()) {
      return;
    }
    memoryCheckRunning = true;
    vertx.executeBlocking(() -> memoryReader.residentBytes(pids), false)
      .onComplete(ar -> {
        memoryCheckRunning = false;
        if (ar.succeeded()) {
          applyMemoryReadings(ar.result());
        } else {
          LOG.warn("cannot read children's memory: {}", ar.cause().getMessage());
        }
      });
  }

  private void applyMemoryReadings(Map<Long, Long> residentByPid) {
    long warnBytes = config.pool().memoryWarnMb() * MemoryPolicy.MB;
    long limitBytes = config.pool().memoryLimitMb() * MemoryPolicy.MB;
    long total = 0;
    for (ChildProcess process : List.copyOf(processes.values())) {
      Long resident = residentByPid.get(process.pid());
      if (resident == null || process.state() == ProcessState.EXITING || process.state() == ProcessState.REAPED) {
        continue;
      }
      process.residentBytes = resident;
      total += resident;
      if (limitBytes > 0 && resident > limitBytes) {
        kill(process, ExitCause.MEMORY_LIMIT, "resident memory " + resident / MemoryPolicy.MB
          + " MB over pool.memoryLimitMb (" + config.pool().memoryLimitMb() + " MB)");
        continue;
      }
      if (warnBytes > 0 && resident > warnBytes && !process.memoryWarned) {
        process.memoryWarned = true;
        LOG.warn("child {} uses {} MB resident memory, over pool.memoryWarnMb ({} MB)", process,
          resident / MemoryPolicy.MB, config.pool().memoryWarnMb());
      }
      if (memory.recycleAfterJob(resident)) {
        // over the soft limit: never killed for it, just not given another job
        if (process.state() == ProcessState.IDLE) {
          stop(process, ExitCause.MEMORY_SOFT, "resident memory over pool.memorySoftMb");
        } else {
          process.recycleAfterJob = true;
        }
      }
    }
    totalResidentBytes = total;
    reapIdleOverTotalHardLimit();
    pump();
  }

  private void reapIdleOverTotalHardLimit() {
    List<ChildProcess> idle = processes.values().stream().filter(p -> p.state() == ProcessState.IDLE).toList();
    List<Long> resident = idle.stream().map(p -> p.residentBytes).toList();
    for (int index : memory.idleToReap(totalResidentBytes, resident)) {
      stop(idle.get(index), ExitCause.MEMORY_TOTAL, "the pool's resident memory is over pool.totalMemoryHardMb ("
        + config.pool().totalMemoryHardMb() + " MB)");
    }
  }

  // ---- closing -------------------------------------------------------------------------

  /**
   * Ends every job with reason {@code shutdown} and stops every process (killed after
   * {@code pool.closeTimeoutMs}). Completes once the last process is reaped.
   */
  Future<Void> close() {
    if (closed != null) {
      return closed.future();
    }
    closed = Promise.promise();
    long now = System.currentTimeMillis();
    for (Job job : List.copyOf(jobs.waiting())) {
      jobs.end(job, JobEvents.failed(job.id, FailureReason.SHUTDOWN, "the worker stopped before the job started"), now);
    }
    for (ChildProcess process : List.copyOf(processes.values())) {
      Job job = process.job;
      if (job != null && !job.isEnded()) {
        jobs.end(job, JobEvents.failed(job.id, FailureReason.SHUTDOWN, "the worker stopped while the job ran"), now);
      }
      if (process.process() == null) {
        // not started yet: it is killed as soon as it exists
        process.moveTo(ProcessState.EXITING);
      } else {
        stop(process, ExitCause.SHUTDOWN, "worker shutdown");
      }
    }
    if (processes.isEmpty()) {
      closed.complete();
    }
    listener.stateChanged();
    return closed.future();
  }
}
