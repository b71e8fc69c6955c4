package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.FailureReason;
import io.warmpool.bus.JobEvents;
import io.warmpool.config.WorkerConfig;
import io.warmpool.protocol.ChildMessage;
import io.warmpool.protocol.WorkerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pooled child and its supervision: it owns the launched process, its channel and its
 * timers (initialisation, close, channel loss), answers its protocol, and tells the pool what
 * happened through {@link ChildEvents}. Every method runs on the pool's event loop.
 *
 * <p>Its {@link ProcessState} is the one fact the pool's counts are derived from.
 */
final class SupervisedChild {

  private static final Logger LOG = LoggerFactory.getLogger(SupervisedChild.class);
  /** How long a child whose channel closed may take to exit by itself, so its exit code is seen. */
  private static final long CHANNEL_LOSS_GRACE_MS = 1000;

  final long id;
  final long spawnedNanos;
  /** How many jobs it runs before it is recycled (the limit with this child's jitter). */
  final int maxJobs;

  private final Vertx vertx;
  private final WorkerConfig config;
  private final LaunchedChild launched;
  private final ChildLog log;
  private final ChildEvents events;

  private ProcessState state = ProcessState.SPAWNED;
  private ChildConnection connection;
  private long pid = -1;
  private Job job;
  private int jobsRun;
  private long idleSinceNanos;
  private long lastPongNanos;
  private long initTimer = -1;
  private long closeTimer = -1;
  /** Between a cancel and its shutdown: the cancelled job's time to clean up. */
  private long graceTimer = -1;
  /** The job cancelled on it: what the child still sends for it is dropped. */
  private String cancelledJobId;
  private ExitCause exitCause;
  /** Why it never became ready, when the pool or the child said so; {@code null} if it just died. */
  private String initFailure;

  /** Was ever handed a job: one that never was, closed, was a wasted spawn. */
  private boolean handedAJob;

  /** The CPU it used to become ready (0 until read, and for an in-memory child). */
  double spawnCpuSeconds;
  long residentBytes;
  boolean memoryWarned;
  /** Over the memory soft limit: it finishes its job and is not given another. */
  boolean recycleAfterJob;

  SupervisedChild(long id, long nowNanos, int maxJobs, Vertx vertx, WorkerConfig config, LaunchedChild launched,
                  ChildLog log, ChildEvents events) {
    this.id = id;
    this.spawnedNanos = nowNanos;
    this.maxJobs = maxJobs;
    this.vertx = vertx;
    this.config = config;
    this.launched = launched;
    this.log = log;
    this.events = events;
  }

  /** Follows the launched child until it is ready or gone: ready within {@code pool.initTimeoutMs}, or killed. */
  void supervise() {
    long initTimeoutMs = config.pool().initTimeoutMs();
    initTimer = vertx.setTimer(initTimeoutMs,
      id -> failInit("not ready within pool.initTimeoutMs (" + initTimeoutMs + " ms)"));
    launched.started()
      .onSuccess(startedPid -> {
        pid = startedPid;
        LOG.debug("child {} started", this);
      })
      .onFailure(err -> initFailure = err.getMessage());
    launched.connected().onSuccess(this::onConnected);
    launched.exited().onSuccess(this::onExit);
  }

  // ---- state ---------------------------------------------------------------------------

  ProcessState state() {
    return state;
  }

  long pid() {
    return pid;
  }

  /** The job it runs, or was handed and has not started yet; {@code null} otherwise. */
  Job job() {
    return job;
  }

  int jobsRun() {
    return jobsRun;
  }

  long idleSinceNanos() {
    return idleSinceNanos;
  }

  /** Never became ready: its exit counts as a failed initialisation. */
  boolean neverReady() {
    return jobsRun == 0 && idleSinceNanos == 0;
  }

  /** Became ready and was never handed a job: its start bought nothing. */
  boolean wastedSpawn() {
    return !neverReady() && !handedAJob;
  }

  /** Its OS processes once started; {@code null} before, and for an in-memory child. */
  ProcessTree tree() {
    return launched.tree();
  }

  /** Where what it prints and its {@code log} records go. */
  ChildLog log() {
    return log;
  }

  String initFailure() {
    return initFailure;
  }

  ExitCause exitCause() {
    return exitCause;
  }

  /** Whether it goes back to the idle queue when its job ends: not at its job limit, not over the memory soft limit. */
  boolean returnsAfterJob() {
    return jobsRun + 1 < maxJobs && !recycleAfterJob;
  }

  private void moveTo(ProcessState next) {
    if (!state.canMoveTo(next)) {
      throw new IllegalStateException("process " + this + ": " + state + " -> " + next + " is not a lifecycle move");
    }
    state = next;
  }

  // ---- initialisation ------------------------------------------------------------------

  private void onConnected(ChildConnection channel) {
    if (state != ProcessState.SPAWNED) {
      channel.close();
      return;
    }
    connection = channel;
    channel.messageHandler(this::onMessage);
    channel.protocolErrorHandler(error -> kill(ExitCause.PROTOCOL_ERROR, error));
    channel.closeHandler(v -> onChannelLost());
    moveTo(ProcessState.INITIALIZING);
    channel.send(new WorkerMessage.Initialize(config.child().entrypoint(), config.child().options()));
    events.stateChanged();
  }

  private void onReady() {
    if (state != ProcessState.INITIALIZING) {
      kill(ExitCause.PROTOCOL_ERROR, "ready while " + state);
      return;
    }
    vertx.cancelTimer(initTimer);
    long now = System.nanoTime();
    idleSinceNanos = now;
    lastPongNanos = now;
    moveTo(ProcessState.IDLE);
    LOG.debug("child {} ready in {} ms", this, (now - spawnedNanos) / 1_000_000);
    events.ready(this);
  }

  private void failInit(String error) {
    if (state == ProcessState.SPAWNED || state == ProcessState.INITIALIZING) {
      initFailure = error;
      kill(ExitCause.INIT_FAILED, error);
    }
  }

  // ---- jobs ----------------------------------------------------------------------------

  /** Gives an idle child a job; a lost write kills it, and its reaping hands the job to another. */
  void handOver(Job job) {
    moveTo(ProcessState.RUNNING);
    this.job = job;
    handedAJob = true;
    log.jobId(job.id);
    connection.sendFrame(job.startFrame()).onFailure(err -> kill(ExitCause.HAND_OVER_FAILED, "hand-over failed: " + err.getMessage()));
  }

  private void onJobMessage(ChildMessage.JobMessage message) {
    if (job == null && cancelledJobId != null && cancelledJobId.equals(message.jobId())) {
      // its clients already had the job's last event; the job may still be winding down
      LOG.debug("child {}: '{}' of cancelled job {} dropped", this, message.type(), cancelledJobId);
      return;
    }
    if (job == null || !job.id.equals(message.jobId())) {
      kill(ExitCause.PROTOCOL_ERROR,
        "'" + message.type() + "' for job " + message.jobId() + " while running " + (job == null ? "none" : job.id));
      return;
    }
    if (message instanceof ChildMessage.Started) {
      if (!job.isAssigned()) {
        kill(ExitCause.PROTOCOL_ERROR, "job " + job.id + " started twice");
        return;
      }
      events.jobStarted(this, job);
    } else if (message instanceof ChildMessage.Output output) {
      events.jobOutput(job, output.data());
    } else if (message instanceof ChildMessage.Done done) {
      endJob(JobEvents.completed(job.id, done.result()));
    } else if (message instanceof ChildMessage.Failed failed) {
      endJob(JobEvents.failed(job.id, FailureReason.ERROR, failed.error()));
    }
  }

  private void endJob(JsonObject terminalEvent) {
    Job ended = job;
    job = null;
    log.jobId(null);
    boolean returns = returnsAfterJob();
    jobsRun++;
    if (state == ProcessState.RUNNING) {
      if (returns) {
        idleSinceNanos = System.nanoTime();
        moveTo(ProcessState.IDLE);
      } else {
        stop(ExitCause.RECYCLED, "recycled after " + jobsRun + " job(s)");
      }
    }
    events.jobEnded(ended, terminalEvent);
  }

  // ---- the channel ---------------------------------------------------------------------

  private void onMessage(ChildMessage message) {
    if (message instanceof ChildMessage.Ready) {
      onReady();
    } else if (message instanceof ChildMessage.InitFailed initFailed) {
      failInit("prewarm failed: " + initFailed.error());
    } else if (message instanceof ChildMessage.Pong) {
      lastPongNanos = System.nanoTime();
    } else if (message instanceof ChildMessage.Exiting exiting) {
      LOG.debug("child {} exiting: {}", this, exiting.reason());
    } else if (message instanceof ChildMessage.JobMessage jobMessage) {
      onJobMessage(jobMessage);
    } else if (message instanceof ChildMessage.Log log) {
      // allowed in any state after hello, and about any job: a cancelled one may still log
      events.log(this, job != null && job.id.equals(log.jobId()) ? job : null, log);
    } else {
      kill(ExitCause.PROTOCOL_ERROR, "'" + message.type() + "' after the handshake");
    }
  }

  /** Pings a warm child, or kills it when its last pong is older than {@code pool.pingTimeoutMs}. */
  void ping(long nowNanos) {
    if (state != ProcessState.IDLE && state != ProcessState.RUNNING) {
      return;
    }
    long timeoutMs = config.pool().pingTimeoutMs();
    if (nowNanos - lastPongNanos > timeoutMs * 1_000_000) {
      kill(ExitCause.UNRESPONSIVE, "no pong within pool.pingTimeoutMs (" + timeoutMs + " ms)");
    } else {
      connection.send(new WorkerMessage.Ping(nowNanos));
    }
  }

  private void onChannelLost() {
    if (state == ProcessState.REAPED) {
      return;
    }
    // the process is most likely exiting by itself; wait briefly so its exit code is seen
    vertx.setTimer(CHANNEL_LOSS_GRACE_MS, id -> {
      if (state != ProcessState.REAPED) {
        kill(ExitCause.CHANNEL_LOST, "its channel closed");
      }
    });
  }

  // ---- stopping and reaping ------------------------------------------------------------

  /** Asks it to exit; kills it if it has not after {@code pool.closeTimeoutMs}. */
  void stop(ExitCause cause, String why) {
    if (state == ProcessState.EXITING && graceTimer != -1) {
      // stopping everything (a shutdown) does not wait for a cancelled job's grace
      vertx.cancelTimer(graceTimer);
      graceTimer = -1;
      shutDown(why);
      return;
    }
    if (state == ProcessState.EXITING || state == ProcessState.REAPED) {
      return;
    }
    exitCause = cause;
    LOG.debug("stopping child {}: {}", this, why);
    vertx.cancelTimer(initTimer);
    moveTo(ProcessState.EXITING);
    shutDown(why);
  }

  /**
   * Its running job was cancelled and has ended for its clients already: the child leaves the
   * running count at once (so a replacement may be spawned), is told {@code cancel} so the job
   * can clean up, and gets {@code shutdown} only after {@code graceMs}. It is never reused: the
   * job's code may hold anything.
   */
  void stopAfterCancel(Job cancelled, long graceMs) {
    if (state != ProcessState.RUNNING || job != cancelled) {
      throw new IllegalStateException("child " + this + " does not run job " + cancelled.id + " (" + state + ")");
    }
    exitCause = ExitCause.CANCELLED;
    cancelledJobId = cancelled.id;
    job = null;
    moveTo(ProcessState.EXITING);
    String why = "its job was cancelled";
    LOG.debug("child {}: job {} cancelled; shutdown in {} ms", this, cancelled.id, graceMs);
    connection.send(new WorkerMessage.Cancel(cancelled.id, graceMs));
    if (graceMs == 0) {
      shutDown(why);
    } else {
      graceTimer = vertx.setTimer(graceMs, id -> {
        graceTimer = -1;
        shutDown(why);
      });
    }
  }

  /** Sends {@code shutdown} and kills it if it has not exited after {@code pool.closeTimeoutMs}. */
  private void shutDown(String why) {
    if (connection != null) {
      connection.send(new WorkerMessage.Shutdown(why));
    }
    long closeTimeoutMs = config.pool().closeTimeoutMs();
    closeTimer = vertx.setTimer(closeTimeoutMs, id -> {
      if (state != ProcessState.REAPED) {
        LOG.warn("child {} did not exit within pool.closeTimeoutMs ({} ms); killing it", this, closeTimeoutMs);
        forceExit();
      }
    });
  }

  /**
   * Kills it now. The pool hears of it first ({@link ChildEvents#killed}), so a job it was
   * running ends at once with the cause's reason rather than when the exit is reaped.
   */
  void kill(ExitCause cause, String detail) {
    if (state == ProcessState.REAPED) {
      return;
    }
    if (exitCause == null || state != ProcessState.EXITING) {
      exitCause = cause;
    }
    if (state != ProcessState.EXITING) {
      LOG.info("killing child {}: {}", this, detail);
      moveTo(ProcessState.EXITING);
    }
    forceExit();
    events.killed(this, cause, detail);
  }

  /** Stopped before it was ever started (shutdown): killed as soon as its process exists. */
  void abandon() {
    if (state == ProcessState.EXITING || state == ProcessState.REAPED) {
      return;
    }
    exitCause = ExitCause.SHUTDOWN;
    moveTo(ProcessState.EXITING);
    forceExit();
  }

  private void forceExit() {
    launched.kill();
    if (connection != null) {
      connection.close();
    }
  }

  private void onExit(int exitCode) {
    if (state == ProcessState.REAPED) {
      return;
    }
    ProcessState last = state;
    vertx.cancelTimer(initTimer);
    vertx.cancelTimer(closeTimer);
    vertx.cancelTimer(graceTimer);
    if (connection != null) {
      connection.close();
    }
    moveTo(ProcessState.REAPED);
    String exit = pid < 0 ? initFailure : "process exited with code " + exitCode;
    if (neverReady() && initFailure == null && last != ProcessState.EXITING) {
      initFailure = exit + " before it was ready";
    }
    events.exited(this, exit);
  }

  @Override
  public String toString() {
    return "#" + id + (pid < 0 ? "" : " (pid " + pid + ")");
  }
}
