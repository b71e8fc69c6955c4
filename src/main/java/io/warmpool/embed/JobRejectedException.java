package io.warmpool.embed;

/**
 * The pool turned a submission down: nothing runs, nothing is queued. {@link #reason()} says why
 * ({@code full}, {@code draining}, {@code duplicate}, {@code capacity}, {@code too-large},
 * {@code degraded}: "Addresses" in {@code docs/event-bus.md}) and the message what to do about
 * it; a {@code full} or {@code capacity} submission may be tried again later.
 */
public final class JobRejectedException extends RuntimeException {

  private final String jobId;
  private final String reason;
  private final double load;
  private final double threshold;

  JobRejectedException(String jobId, String reason, double load, double threshold, String message) {
    // an answer, not a fault: no stack trace to fill
    super("job " + jobId + " rejected (" + reason + "): " + message, null, false, false);
    this.jobId = jobId;
    this.reason = reason;
    this.load = load;
    this.threshold = threshold;
  }

  public String jobId() {
    return jobId;
  }

  /** The rejection's reason code, as the bus and the WebSocket name it. */
  public String reason() {
    return reason;
  }

  /** The pool's effective load when it turned the job down. */
  public double load() {
    return load;
  }

  /** The pool's {@code load.threshold}. */
  public double threshold() {
    return threshold;
  }
}
