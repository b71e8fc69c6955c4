package io.warmpool.pool;

import io.warmpool.bus.FailureReason;

/**
 * Why a process left the pool: tags the reap counter, and says what its job (if any) fails
 * with when the pool ends the process itself.
 */
enum ExitCause {
  SURPLUS(null),
  RECYCLED(null),
  CANCELLED(null),
  SHUTDOWN(FailureReason.SHUTDOWN),
  MEMORY_SOFT(null),
  MEMORY_TOTAL(null),
  TIMEOUT(FailureReason.TIMEOUT),
  MEMORY_LIMIT(FailureReason.MEMORY_LIMIT),
  UNRESPONSIVE(FailureReason.CRASHED),
  PROTOCOL_ERROR(FailureReason.PROTOCOL_ERROR),
  INIT_FAILED(null),
  /** The start message could not be written: the job never reached the process and is handed to another. */
  HAND_OVER_FAILED(null),
  CHANNEL_LOST(null),
  /** Exited without being asked. */
  CRASHED(FailureReason.CRASHED);

  /**
   * What a job in the process fails with when the pool ends the process. Null when the cause
   * is not the job's: a started job then fails {@code crashed}, one not started yet is handed
   * to another process.
   */
  final FailureReason jobReason;
  final String tag;

  ExitCause(FailureReason jobReason) {
    this.jobReason = jobReason;
    this.tag = name().toLowerCase().replace('_', '-');
  }
}
