package io.warmpool.bus;

/** A worker's status, as in {@code GET /health}, {@code GET /worker} and the state stream. */
public enum WorkerStatus {
  /** Load is under the threshold: jobs are accepted. */
  AVAILABLE("available"),
  /** Load is at or over the threshold: jobs are rejected, no idle process is kept. */
  FULL("full"),
  /** The worker is shutting down: jobs are rejected, running jobs finish. */
  DRAINING("draining");

  private final String wireName;

  WorkerStatus(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
