package io.warmpool.child;

/** What a running job can do besides returning its result. */
public interface JobContext {

  String jobId();

  /** Sends an {@code output} event to the job's clients; {@code data} is a JSON value. */
  void output(Object data);
}
