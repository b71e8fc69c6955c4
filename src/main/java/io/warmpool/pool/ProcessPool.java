package io.warmpool.pool;

import io.warmpool.pool.policy.Admission;
import io.warmpool.pool.policy.ScalingPolicy;
import io.warmpool.pool.policy.SpawnBackoff;
import io.warmpool.pool.policy.SpawnRamp;
import io.warmpool.pool.policy.TargetDamping;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.FailureReason;
import io.warmpool.bus.WorkerStatus;
import io.warmpool.bus.JobEvents;
import io.warmpool.config.WorkerConfig;
import io.warmpool.protocol.ChildMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToLongFunction;

/**
 * The pool's arbiter: one loop ({@link #pump}) that hands waiting jobs to idle children,
 * recomputes the idle target, spawns the shortfall and reaps the surplus, each step small and
 * the rules themselves pure ({@link ScalingPolicy}, {@link TargetDamping}, {@link SpawnRamp}).
 * Each child supervises itself ({@link SupervisedChild}); each job's course is
 * {@link JobLifecycle}'s. Every method runs on the pool verticle's event loop.
 *
 * <p>The children map is the single owner of pool state: idle, initialising and running counts
 * are derived from it ({@link PoolCounts#of}) whenever they are needed.
 */
final class ProcessPool implements ChildEvents {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessPool.class);
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
  private final JobLifecycle jobs;
  private final PoolListener listener;
  private final Admission admission;
  private final SpawnBackoff backoff = new SpawnBackoff();
  private final IdleTarget target;
  private final SpawnRamp ramp;
  private final MemoryWatch memory;
  private final SpawnCost spawnCost;
  private final Random jitter = new Random();
  private final Map<Long, SupervisedChild> children = new LinkedHashMap<>();

  private long nextId = 1;
  private boolean atMaxProcesses;
  private long surplusSinceNanos = -1;
  private Promise<Void> closed;

  ProcessPool(Vertx vertx, WorkerConfig config, ChildLauncher launcher, JobLifecycle jobs, Admission admission,
              PoolListener listener) {
    this.vertx = vertx;
    this.config = config;
    this.launcher = launcher;
    this.jobs = jobs;
    this.listener = listener;
    this.admission = admission;
    this.target = new IdleTarget(config.pool(), admission);
    this.ramp = new SpawnRamp(config.pool().maxSpawnRate());
    this.memory = new MemoryWatch(vertx, config.pool());
    this.spawnCost = new SpawnCost(vertx, listener);
  }

  // ---- state ---------------------------------------------------------------------------

  PoolCounts counts() {
    return PoolCounts.of(children.values());
  }

  IdleTarget target() {
    return target;
  }

  long totalResidentBytes() {
    return memory.totalResidentBytes();
  }

  SpawnBackoff backoff() {
    return backoff;
  }

  boolean degraded() {
    return backoff.consecutiveFailures() >= DEGRADED_AFTER_FAILURES;
  }

  // ---- jobs ----------------------------------------------------------------------------

  void submit(Job job) {
    jobs.accept(job);
    pump();
  }

  void cancel(Job job) {
    SupervisedChild child = jobs.cancel(job);
    if (child != null) {
      // the job's code may hold anything: the process is not reused, but the job may clean up
      child.stopAfterCancel(job, config.job().cancelGraceMs());
    }
    pump();
  }

  // ---- the loop ------------------------------------------------------------------------

  /**
   * The one place that reconciles the pool with what is wanted: hands waiting jobs to idle
   * children, recomputes the idle target, spawns the shortfall and reaps the surplus.
   * Called after every event that can change any of those.
   */
  void pump() {
    if (closed != null) {
      return;
    }
    dispatchWaitingJobs();
    PoolCounts counts = counts();
    long now = System.nanoTime();
    target.update(counts, now);
    spawnShortfall(counts, now);
    reapSurplus(counts, now);
    listener.stateChanged();
  }

  private void dispatchWaitingJobs() {
    while (jobs.hasWaiting()) {
      SupervisedChild child = oldest(ProcessState.IDLE, SupervisedChild::idleSinceNanos);
      if (child == null) {
        return;
      }
      jobs.handOverNext(child);
    }
  }

  /**
   * Spawns for jobs waiting at once (a job never waits on a ramp), and for the idle target at
   * the ramp's pace, unless the pool's total memory is over its soft limit or one more process
   * would take it over the hard one. A degraded pool with neither spawns a probe.
   */
  private void spawnShortfall(PoolCounts counts, long now) {
    int waiting = jobs.waiting();
    int maxProcesses = config.pool().maxProcesses();
    int targetIdle = target.targetIdle();
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
    if (!memory.allowsIdleSpawns() || handOverInFlight(now)) {
      forTarget = 0; // held back without telling the ramp: the shortfall is still there
    } else {
      forTarget = ramp.allow(forTarget);
    }
    for (int i = 0; i < forDemand; i++) {
      spawn(now, SpawnCause.DEMAND);
    }
    for (int i = 0; i < forTarget; i++) {
      target.spawnedForTarget(now);
      spawn(now, SpawnCause.TARGET);
    }
    if (forDemand + forTarget == 0 && probeWanted(counts)) {
      spawn(now, SpawnCause.PROBE);
    }
  }

  /**
   * A degraded pool turns jobs away, so no job spawns a process for it; with no idle target
   * either ({@code pool.maxIdle} 0, full load) nothing would, and it would stay degraded after
   * its children work again. So it starts one process at a time, at the back-off's pace, to
   * learn when they do; once one is ready it is an idle process like any other.
   */
  private boolean probeWanted(PoolCounts counts) {
    return degraded() && counts.initializing() == 0 && counts.alive() < config.pool().maxProcesses()
      && admission.status() != WorkerStatus.DRAINING && memory.allowsIdleSpawns();
  }

  private boolean handOverInFlight(long now) {
    for (SupervisedChild child : children.values()) {
      Job job = child.job();
      if (job != null && job.isAssigned() && now - job.assignedNanos() < HAND_OVER_FIRST_NANOS) {
        return true;
      }
    }
    return false;
  }

  private void reapSurplus(PoolCounts counts, long now) {
    int surplus = counts.idle() - target.keepIdle();
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
    target.surplusReaped(now);
    for (int i = 0; i < surplus; i++) {
      oldest(ProcessState.IDLE, c -> c.spawnedNanos).stop(ExitCause.SURPLUS,
        "surplus idle process (target " + target.targetIdle() + ", kept " + target.keepIdle() + ")");
    }
  }

  private SupervisedChild oldest(ProcessState state, ToLongFunction<SupervisedChild> age) {
    return children.values().stream()
      .filter(c -> c.state() == state)
      .min(Comparator.comparingLong(age))
      .orElse(null);
  }

  private void spawn(long now, SpawnCause cause) {
    listener.processSpawned(cause);
    int spread = config.pool().maxJobsPerProcessJitter();
    // Gunicorn's jitter: reused processes do not all reach their limit and restart together
    int maxJobs = config.pool().maxJobsPerProcess() + (spread > 0 ? jitter.nextInt(spread + 1) : 0);
    ChildLog log = new ChildLog();
    SupervisedChild child = new SupervisedChild(nextId++, now, maxJobs, vertx, config, launcher.launch(log), log, this);
    children.put(child.id, child);
    child.supervise();
  }

  // ---- what the children say -----------------------------------------------------------

  @Override
  public void stateChanged() {
    listener.stateChanged();
  }

  @Override
  public void ready(SupervisedChild child) {
    backoff.success();
    spawnCost.ready(child);
    pump();
  }

  @Override
  public void jobStarted(SupervisedChild child, Job job) {
    jobs.started(child, job);
    // the replacement held back while the job was handed over
    pump();
  }

  @Override
  public void jobOutput(Job job, Object data) {
    jobs.output(job, data);
  }

  @Override
  public void jobEnded(Job job, JsonObject terminalEvent) {
    jobs.end(job, terminalEvent);
    pump();
  }

  @Override
  public void log(SupervisedChild child, Job job, ChildMessage.Log record) {
    child.log().record(child.pid(), record);
    if (job != null) {
      jobs.log(job, record);
    }
  }

  @Override
  public void killed(SupervisedChild child, ExitCause cause, String detail) {
    jobs.childKilled(child, cause, detail);
    pump();
  }

  @Override
  public void exited(SupervisedChild child, String exit) {
    children.remove(child.id);
    if (closed != null) {
      if (children.isEmpty()) {
        closed.tryComplete();
      }
    } else if (child.neverReady() && child.initFailure() != null) {
      recordInitFailure(child.initFailure());
    }
    jobs.childExited(child, exit, closed != null);
    if (child.pid() > 0) {
      ExitCause cause = child.exitCause() != null ? child.exitCause() : ExitCause.CRASHED;
      listener.processExited(cause);
      spawnCost.exited(child, cause);
    }
    LOG.debug("child {} reaped: {}", child, exit);
    pump();
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

  // ---- periodic health -----------------------------------------------------------------

  /** Runs often (every 100 ms): scale-down delays, bounded waits and record expiry are checked here. */
  void tick() {
    ramp.tick();
    failJobsWaitingOnFailingInits();
    jobs.expire();
    pump();
  }

  private void failJobsWaitingOnFailingInits() {
    if (backoff.consecutiveFailures() == 0 || !jobs.hasWaiting()) {
      return;
    }
    long now = System.nanoTime();
    long initTimeoutMs = config.pool().initTimeoutMs();
    jobs.failWaiting(job -> now - job.acceptedNanos >= initTimeoutMs * 1_000_000, FailureReason.INIT_FAILED,
      "no process could be initialised within " + initTimeoutMs + " ms; last failure: " + backoff.lastError());
  }

  /** Every {@code pool.pingIntervalMs}: pings, kills the unresponsive, checks memory. */
  void healthCheck() {
    long now = System.nanoTime();
    for (SupervisedChild child : List.copyOf(children.values())) {
      child.ping(now);
    }
    memory.check(children.values()).onSuccess(v -> pump());
  }

  // ---- closing -------------------------------------------------------------------------

  /**
   * Ends every job with reason {@code shutdown} and stops every child (killed after
   * {@code pool.closeTimeoutMs}). Completes once the last child is reaped.
   */
  Future<Void> close() {
    if (closed != null) {
      return closed.future();
    }
    closed = Promise.promise();
    jobs.failWaiting(job -> true, FailureReason.SHUTDOWN, "the worker stopped before the job started");
    for (SupervisedChild child : List.copyOf(children.values())) {
      Job job = child.job();
      if (job != null) {
        jobs.end(job, JobEvents.failed(job.id, FailureReason.SHUTDOWN, "the worker stopped while the job ran"));
      }
      if (child.pid() < 0) {
        child.abandon();
      } else {
        child.stop(ExitCause.SHUTDOWN, "worker shutdown");
      }
    }
    if (children.isEmpty()) {
      closed.complete();
    }
    listener.stateChanged();
    return closed.future();
  }
}
