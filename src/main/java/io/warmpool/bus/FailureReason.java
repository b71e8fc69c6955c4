package io.warmpool.bus;

/** Why a job failed: the {@code reason} of a {@code failed} job event. */
public enum FailureReason {
  /** The process exited or stopped answering while running the job. */
  CRASHED("crashed"),
  /** The job ran longer than its timeout ({@code job.timeoutMs} or the submit's {@code timeoutMs}). */
  TIMEOUT("timeout"),
  /** The process's resident memory went over {@code pool.memoryLimitMb}. */
  MEMORY_LIMIT("memory-limit"),
  /** No process could be initialised for the job in bounded time. */
  INIT_FAILED("init-failed"),
  /** The worker shut down before the job ended. */
  SHUTDOWN("shutdown"),
  /** The child broke the protocol (bad frame, wrong job id). */
  PROTOCOL_ERROR("protocol-error"),
  /** The cluster node running the job left the cluster. */
  NODE_LOST("node-lost"),
  /** The job's own code failed (the entrypoint threw). */
  ERROR("error");

  private final String wireName;

  FailureReason(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
