package io.warmpool.client;

/**
 * What a submission may say besides its payload (the optional fields of the {@code submit}
 * frame, docs/websocket.md). The worker checks them and answers a wrong one with
 * {@code bad-request}, which fails the submit with a {@link WarmpoolException} naming the field.
 */
public final class SubmitOptions {

  private String jobId;
  private long timeoutMs;
  private boolean logs;

  public SubmitOptions() {
  }

  /**
   * The job's id, 1 to 128 characters, each an ASCII letter or digit or one of {@code . _ : -};
   * {@code null} (the default) to have the worker give it a random UUID. With an id of its own, a
   * submit whose answer was lost to a dropped connection is sent again after the reconnect,
   * safely: the worker takes a job id once ({@link WarmpoolClient#submit(com.google.gson.JsonObject, SubmitOptions)}).
   * Anyone who knows a job's id can watch and cancel it: make it as hard to guess as a UUID.
   */
  public SubmitOptions setJobId(String jobId) {
    this.jobId = jobId;
    return this;
  }

  /** The job's own timeout in milliseconds; 0 (the default) for the worker's {@code job.timeoutMs}. */
  public SubmitOptions setTimeoutMs(long timeoutMs) {
    if (timeoutMs < 0) {
      throw new IllegalArgumentException("timeoutMs must be >= 0, got " + timeoutMs);
    }
    this.timeoutMs = timeoutMs;
    return this;
  }

  /** Whether the job's log records come as {@code log} events too. Default {@code false}. */
  public SubmitOptions setLogs(boolean logs) {
    this.logs = logs;
    return this;
  }

  public String getJobId() {
    return jobId;
  }

  public long getTimeoutMs() {
    return timeoutMs;
  }

  public boolean isLogs() {
    return logs;
  }
}
