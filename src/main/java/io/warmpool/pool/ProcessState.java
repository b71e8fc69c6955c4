package io.warmpool.pool;

import java.util.EnumSet;
import java.util.Set;

/** The lifecycle of a pooled process (SPEC section 3), with the moves it allows. */
public enum ProcessState {
  /** Started; its channel has not connected yet. Counts as initialising. */
  SPAWNED,
  /** Channel connected, {@code initialize} sent, prewarm running. */
  INITIALIZING,
  /** Warm and waiting for a job. */
  IDLE,
  /** A job was handed to it; it is neither idle nor pending. */
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

  /** Pending processes are those that will become idle without a job ending: the seed's bug 2 counted running ones too. */
  boolean isPending() {
    return this == SPAWNED || this == INITIALIZING || this == IDLE;
  }
}
