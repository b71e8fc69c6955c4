package io.warmpool.embed;

/**
 * A {@code watch} or {@code cancel} named a job the pool does not know: never submitted to it, or
 * ended so long ago that its record is gone ({@link #gone()}: older than {@code job.retainMs}, or
 * beyond {@code job.maxRecords} / {@code job.maxRecordsMb}).
 */
public final class NoSuchJobException extends RuntimeException {

  private final String jobId;
  private final boolean gone;

  NoSuchJobException(String jobId, boolean gone, String message) {
    super(message, null, false, false);
    this.jobId = jobId;
    this.gone = gone;
  }

  public String jobId() {
    return jobId;
  }

  /** True when the job ended and its record has been dropped; false when it was never known here. */
  public boolean gone() {
    return gone;
  }
}
