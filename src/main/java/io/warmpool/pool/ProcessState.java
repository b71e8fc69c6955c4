package io.warmpool.pool;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a pooled process, with the moves it allows. A running process is never
 * counted as one that will become idle: only a job's end brings it back, so counting it would
 * make a new job wait for an unrelated one.
 */
public enum ProcessState {
  /** Started; its channel has not connected yet. Counts as initialising. */
  SPAWNED,
  /** Channel connected, {@code initialize} sent, prewarm running. */
  INITIALIZING,
  /** Warm and waiting for a job. */
  IDLE,
  /** A job was handed to it; it is not idle and will not be until the job ends. */
  RUNNING,
  /** Asked to stop (or killed); waiting for the OS process to end. */
  EXITING,
  /** The OS process is gone; it has left every count. */
  REAPED;

  private Set<ProcessState> next;

  static {
    SPAWNED.next = EnumSet.of(INITIALIZING, EXITING, REAPED);
    INITIALIZING.next = EnumSet.of(IDLE, EXITING, REAPED);
    IDLE.next = EnumSet.of(RUNNING, EXITING, REAPED);
    RUNNING.next = EnumSet.of(IDLE, EXITING, REAPED);
    EXITING.next = EnumSet.of(REAPED);
    REAPED.next = EnumSet.noneOf(ProcessState.class);
  }

  boolean canMoveTo(ProcessState state) {
    return next.contains(state);
  }
}
