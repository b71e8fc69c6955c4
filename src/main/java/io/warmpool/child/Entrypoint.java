package io.warmpool.child;

import io.vertx.core.json.JsonObject;

/**
 * What a pooled Java child runs: the class named by {@code child.entrypoint}. It needs a
 * public no-argument constructor. One instance lives as long as its process.
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
   * Runs one job. The returned value (a JSON value: {@code JsonObject}, {@code JsonArray},
   * string, number, boolean or {@code null}) is the job's result; an exception fails the job
   * with reason {@code error} and its message as detail. A cancelled job is told so through
   * its context ({@link JobContext#isCancelled()}, {@link JobContext#onCancel}) and has
   * {@code job.cancelGraceMs} to end; it is interrupted when its process shuts down.
   */
  Object run(JobContext context, JsonObject payload) throws Exception;

  /**
   * Runs once when the process shuts down in order (the worker asked it to), after the running
   * job, if any, has ended: close what prewarm opened. Not called when the process is killed.
   */
  default void close() throws Exception {
  }
}
