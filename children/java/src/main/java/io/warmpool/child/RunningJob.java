package io.warmpool.child;

import com.google.gson.JsonPrimitive;

import java.util.List;

/**
 * The {@link JobContext} of one job. It stops accepting output once the job has ended, so a
 * thread the job left behind can never send a frame that names a finished job.
 */
final class RunningJob implements JobContext {

  private final ChildSession session;
  private final JsonPrimitive jobId;
  private final CancelNotice cancelNotice = new CancelNotice();

  RunningJob(ChildSession session, JsonPrimitive jobId) {
    this.session = session;
    this.jobId = jobId;
  }

  /** The id exactly as the worker sent it, for the frames about this job. */
  JsonPrimitive wireId() {
    return jobId;
  }

  @Override
  public String jobId() {
    return jobId.getAsString();
  }

  @Override
  public void output(Object data) {
    byte[] frame = ChildFrames.output(jobId, data);
    session.sendOutput(this, frame);
  }

  @Override
  public boolean isCancelled() {
    return cancelNotice.isCancelled();
  }

  @Override
  public void onCancel(Runnable callback) {
    cancelNotice.onCancel(callback);
  }

  /**
   * Marks the job cancelled and runs its callbacks on a thread of their own: the reader thread
   * that received the cancel must stay free to answer pings, whatever a callback does.
   */
  void cancel() {
    List<Runnable> callbacks = cancelNotice.cancel();
    if (callbacks.isEmpty()) {
      return;
    }
    Thread thread = new Thread(() -> {
      for (Runnable callback : callbacks) {
        try {
          callback.run();
        } catch (RuntimeException e) {
          ChildLog.warn("a cancel callback of job " + jobId() + " failed", e);
        }
      }
    }, "warmpool-cancel-" + jobId());
    thread.setDaemon(true);
    thread.start();
  }
}
