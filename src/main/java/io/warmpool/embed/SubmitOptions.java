package io.warmpool.embed;

/**
 * How to submit a job ({@link PoolClient#submit(io.vertx.core.json.JsonObject, SubmitOptions)}):
 * everything optional.
 */
public final class SubmitOptions {

  /** Events a job's stream holds for a reader that has not taken them, unless set otherwise. */
  public static final int DEFAULT_MAX_BUFFERED_EVENTS = 256;

  private String jobId;
  private long timeoutMs;
  private boolean logs;
  private int maxBufferedEvents = DEFAULT_MAX_BUFFERED_EVENTS;

  public String getJobId() {
    return jobId;
  }

  /**
   * The job's id: 1 to 128 ASCII letters, digits, {@code .}, {@code _}, {@code :} or {@code -}.
   * Default: a new UUID. A submission with an id the pool knows is rejected {@code duplicate},
   * so an id of the caller's own makes a retry safe: a job never runs twice under one id.
   */
  public SubmitOptions setJobId(String jobId) {
    this.jobId = jobId;
    return this;
  }

  public long getTimeoutMs() {
    return timeoutMs;
  }

  /** The job's own timeout (reason {@code timeout}); 0, the default, for the pool's {@code job.timeoutMs}. */
  public SubmitOptions setTimeoutMs(long timeoutMs) {
    if (timeoutMs < 0) {
      throw new IllegalArgumentException("timeoutMs must be >= 0 (0: the pool's job.timeoutMs), was " + timeoutMs);
    }
    this.timeoutMs = timeoutMs;
    return this;
  }

  public boolean isLogs() {
    return logs;
  }

  /** Whether the job's log records come as {@code log} events (default {@code false}). */
  public SubmitOptions setLogs(boolean logs) {
    this.logs = logs;
    return this;
  }

  public int getMaxBufferedEvents() {
    return maxBufferedEvents;
  }

  /**
   * Most events the job's {@link SubmittedJob#events() stream} holds for a reader that has not
   * taken them (paused, or no handler yet); default {@value #DEFAULT_MAX_BUFFERED_EVENTS}. Past
   * it, the stream takes no more from the bus and asks the pool for the rest once the reader has
   * caught up.
   */
  public SubmitOptions setMaxBufferedEvents(int maxBufferedEvents) {
    if (maxBufferedEvents < 1) {
      throw new IllegalArgumentException("maxBufferedEvents must be at least 1, was " + maxBufferedEvents);
    }
    this.maxBufferedEvents = maxBufferedEvents;
    return this;
  }
}
