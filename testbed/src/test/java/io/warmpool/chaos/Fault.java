package io.warmpool.chaos;

/**
 * What the monkey does to the worker, and the reason the job it hits must end with. The
 * signals hit real child processes; the job faults are demo ops (Java children) or garbage
 * written by a Python child on the protocol channel.
 */
enum Fault {
  KILL_IDLE("SIGKILL an idle child", null),
  KILL_RUNNING("SIGKILL a child running a job", "crashed"),
  STOP_IDLE("SIGSTOP an idle child (hung: no pong)", null),
  STOP_RUNNING("SIGSTOP a child running a job", "crashed"),
  CRASH_JOB("job op crash (exit at once)", "crashed"),
  ALLOC_JOB("job op alloc over pool.memoryLimitMb", "memory-limit"),
  HANG_JOB("job op hang, with a job timeout", "timeout"),
  GARBAGE_JOB("Python child writes garbage on the channel", "protocol-error");

  final String description;
  /** The reason of the job the fault hits; {@code null} when it hits no job (the next job must not notice). */
  final String expectedReason;

  Fault(String description, String expectedReason) {
    this.description = description;
    this.expectedReason = expectedReason;
  }

  String label() {
    return name().toLowerCase().replace('_', '-');
  }

  boolean isSignal() {
    return this == KILL_IDLE || this == KILL_RUNNING || this == STOP_IDLE || this == STOP_RUNNING;
  }
}
