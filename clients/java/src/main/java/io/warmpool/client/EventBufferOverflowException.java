package io.warmpool.client;

/**
 * A subscriber of a job's events did not request them as fast as they came, and its buffer
 * ({@link ClientOptions#setEventBufferSize}) filled: it has been given every event up to
 * {@link #lastSeq()}, none is skipped, and its subscription ends with this error. The job goes
 * on; {@link WarmpoolClient#watch(String, long)} with {@code lastSeq()} follows it from there.
 */
public final class EventBufferOverflowException extends WarmpoolException {

  private final String jobId;
  private final long lastSeq;

  public EventBufferOverflowException(String jobId, long lastSeq, int bufferSize) {
    super("overflow", "the subscriber of job " + jobId + " left " + bufferSize + " events unrequested (eventBufferSize): "
      + "it got them up to seq " + lastSeq + "; watch(\"" + jobId + "\", " + lastSeq + ") follows the job from there");
    this.jobId = jobId;
    this.lastSeq = lastSeq;
  }

  public String jobId() {
    return jobId;
  }

  /** The {@code seq} of the last event the subscriber was given. */
  public long lastSeq() {
    return lastSeq;
  }
}
