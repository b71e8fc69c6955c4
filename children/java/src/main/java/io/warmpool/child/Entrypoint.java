package io.warmpool.child;

import com.google.gson.JsonObject;

/**
 * What a pooled Java child runs: the class named by {@code child.entrypoint}. It needs a
 * public no-argument constructor. One instance lives as long as its process.
 *
 * <p>JSON is Gson's: the options and each payload are a {@link JsonObject}; a result (and an
 * output, {@link JobContext#output}) is a JSON value: a {@link com.google.gson.JsonElement}
 * ({@code JsonObject}, {@code JsonArray}, {@code JsonPrimitive}, {@code JsonNull}), or a
 * {@code String}, {@code Number}, {@code Boolean} or {@code null}, which the runtime converts.
 *
 * <p>Logging: records of {@code java.util.logging} (the JDK's, and any library's that logs
 * through it) reach the worker as {@code log} records, with the id of the job whose thread made
 * them; the worker logs them and passes them to clients that asked for a job's logs.
 */
public interface Entrypoint {

  /**
   * Runs once per process before it is reported ready: load models, warm caches, touch the
   * code paths a job takes. An exception here fails the process's initialisation.
   *
   * @param options the worker's {@code child.options}, {@code {}} when none are configured
   */
  default void prewarm(JsonObject options) throws Exception {
    prewarm();
  }

  /** {@link #prewarm(JsonObject)} for an entrypoint that takes no options. */
  default void prewarm() throws Exception {
  }

  /**
   * Runs one job. The returned JSON value is the job's result; anything else (a {@code Map}, a
   * record) fails the job with a message naming what is allowed, and so does a result whose
   * frame would exceed 1 MiB. An exception fails the job with reason {@code error} and
   * {@code "<exception class>: <message>"} as detail. A cancelled job is told so through
   * its context ({@link JobContext#isCancelled()}, {@link JobContext#onCancel}) and has
   * {@code job.cancelGraceMs} to end; it is interrupted when its process shuts down.
   *
   * <p>The jobs of one process run one after another on one thread, the one that ran
   * {@link #prewarm(JsonObject)}: a {@code ThreadLocal} a job sets is still set in the next
   * job, so per-job state does not belong in one (or clear it before returning).
   */
  Object run(JobContext context, JsonObject payload) throws Exception;

  /**
   * Runs once when the process shuts down in order (the worker asked it to), after the running
   * job, if any, has ended: close what prewarm opened. Not called when the process is killed.
   */
  default void close() throws Exception {
  }
}
