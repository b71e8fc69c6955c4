package io.warmpool.child;

import io.warmpool.protocol.ChildMessage;
import io.warmpool.protocol.ProtocolCodec;

/**
 * The {@link JobContext} of one job. It stops accepting output once the job has ended, so a
 * thread the job left behind can never send a frame that names a finished job.
 */
final class RunningJob implements JobContext {

  private final ChildSession session;
  private final Object jobId;

  RunningJob(ChildSession session, Object jobId) {
    this.session = session;
    this.jobId = jobId;
  }

  /** The id exactly as the worker sent it, for the frames about this job. */
  Object wireId() {
    return jobId;
  }

  @Override
  public String jobId() {
    return String.valueOf(jobId);
  }

  /**
   * @throws IllegalArgumentException when {@code data} is not a JSON value or its frame would
   *                                  exceed the protocol's frame limit
   * @throws IllegalStateException    when the job has already ended
   */
  @Override
  public void output(Object data) {
    byte[] frame = ProtocolCodec.encodeWithinLimit(new ChildMessage.Output(jobId, data));
    session.sendOutput(this, frame);
  }
}
