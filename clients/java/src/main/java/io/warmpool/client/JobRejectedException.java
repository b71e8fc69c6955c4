package io.warmpool.client;

/**
 * The worker did not take the job: {@link #reason()} is {@code full}, {@code draining},
 * {@code duplicate}, {@code capacity}, {@code too-large} or {@code degraded}
 * (docs/websocket.md), the message says why in the worker's words. Nothing of the job runs.
 */
public final class JobRejectedException extends WarmpoolException {

  private final double load;
  private final double threshold;

  public JobRejectedException(String reason, String message, double load, double threshold) {
    super(reason, "rejected (" + reason + "): " + message);
    this.load = load;
    this.threshold = threshold;
  }

  /** The worker's reason, the same as {@link #code()}. */
  public String reason() {
    return code();
  }

  /** The worker's load when it answered. */
  public double load() {
    return load;
  }

  /** The worker's {@code load.threshold}. */
  public double threshold() {
    return threshold;
  }
}
