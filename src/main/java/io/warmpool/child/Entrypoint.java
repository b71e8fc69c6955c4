package io.warmpool.child;

import io.vertx.core.json.JsonObject;

/**
 * What a pooled Java child runs: the class named by {@code child.entrypoint}. It needs a
 * public no-argument constructor. One instance lives as long as its process.
 */
public interface Entrypoint {

  /**
   * Runs once per process before it is reported ready: load models, warm caches, touch the
   * code paths a job takes. An exception here fails the process's initialisation.
   */
  default void prewarm() throws Exception {
  }

  /**
   * Runs one job. The returned value (a JSON value: {@code JsonObject}, {@code JsonArray},
   * string, number, boolean or {@code null}) is the job's result; an exception fails the job
   * with reason {@code error} and its message as detail. A job is interrupted when it is
   * cancelled or its process shuts down.
   */
  Object run(JobContext context, JsonObject payload) throws Exception;
}
