package io.warmpool.pool;

/**
 * One pooled OS process and its state. Owned by the {@link ProcessPool}: every field is read
 * and written on the pool's event loop only.
 */
final class ChildProcess {

  final long id;
  final String token;
  final long spawnedNanos;

  private ProcessState state = ProcessState.SPAWNED;
  private Process process;
  private ChildChannel channel;
  private ChildOutputLog outputLog;

  Job job;
  int jobsRun;
  int maxJobs;
  long idleSinceNanos;
  long lastPongNanos;
  long residentBytes;
  boolean memoryWarned;
  boolean recycleAfterJob;

  /** Why the pool ended it; {@code null} while nobody asked it to go. */
  ExitCause exitCause;

  /** Why the pool failed its initialisation, for the spawn back-off; {@code null} if it died on its own. */
  String initFailure;

  long initTimer = -1;
  long closeTimer = -1;
  long jobTimer = -1;

  ChildProcess(long id, String token, long nowNanos) {
    this.id = id;
    this.token = token;
    this.spawnedNanos = nowNanos;
  }

  ProcessState state() {
    return state;
  }

  void moveTo(ProcessState next) {
    if (!state.canMoveTo(next)) {
      throw new IllegalStateException("process " + this + ": " + state + " -> " + next + " is not a lifecycle move");
    }
    state = next;
  }

  void attach(Process process, ChildOutputLog outputLog) {
    this.process = process;
    this.outputLog = outputLog;
  }

  void attach(ChildChannel channel) {
    this.channel = channel;
  }

  Process process() {
    return process;
  }

  ChildChannel channel() {
    return channel;
  }

  long pid() {
    return process == null ? -1 : process.pid();
  }

  /** Whether it goes back to the idle queue when its job ends: not at its job limit, not over the memory soft limit. */
  boolean returnsAfterJob() {
    return jobsRun + 1 < maxJobs && !recycleAfterJob;
  }

  void assign(Job job) {
    this.job = job;
    if (outputLog != null) {
      outputLog.jobId(job == null ? null : job.id);
    }
  }

  /** Kills the OS process now (SIGKILL); its exit is reaped like any other. */
  void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
    if (channel != null) {
      channel.close();
    }
  }

  @Override
  public String toString() {
    return "#" + id + (process == null ? "" : " (pid " + process.pid() + ")");
  }
}
