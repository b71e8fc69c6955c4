package io.warmpool.child;

/**
 * What a running job can do besides returning its result. The runtime implements every method;
 * the defaults are for a test's stand-in, which needs only {@link #jobId} and {@link #output}.
 */
public interface JobContext {

  /** The job's id, as the worker gave it (a JSON number as its text). */
  String jobId();

  /**
   * Sends an {@code output} event to the job's clients. {@code data} is a JSON value, as a result
   * is (see {@link Entrypoint#run}).
   *
   * @throws IllegalArgumentException when {@code data} is not a JSON value or its frame would
   *                                  exceed 1 MiB; nothing is sent then
   * @throws IllegalStateException    when the job has already ended
   */
  void output(Object data);

  /**
   * Whether a client cancelled the job. The worker has already told the job's clients; the job
   * has {@code job.cancelGraceMs} to clean up before its process is stopped, and what it sends
   * afterwards is dropped.
   */
  default boolean isCancelled() {
    return false;
  }

  /**
   * Runs {@code callback} once when the job is cancelled, on a thread of the runtime's (not the
   * job's); at once, on the calling thread, if it has been cancelled already.
   */
  default void onCancel(Runnable callback) {
  }
}
