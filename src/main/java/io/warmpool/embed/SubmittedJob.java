package io.warmpool.embed;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

/**
 * A job the pool accepted ({@link PoolClient#submit}) or one being watched
 * ({@link PoolClient#watch}): its id, its outcome and its events. Its callbacks and its stream's
 * handlers run on the context that submitted or watched it.
 */
public final class SubmittedJob {

  private final String jobId;
  private final Context context;
  private final PoolClient client;
  private final Promise<JobOutcome> outcome = Promise.promise();
  private final JobEventStream events;

  SubmittedJob(String jobId, Context context, PoolClient client, int maxBufferedEvents, boolean watching) {
    this.jobId = jobId;
    this.context = context;
    this.client = client;
    this.events = new JobEventStream(context, maxBufferedEvents, this::replay, watching);
  }

  public String jobId() {
    return jobId;
  }

  /**
   * How the job ended: completed with its result, failed with a reason and message, or
   * cancelled. It completes whether or not anyone reads {@link #events()}; it fails only when
   * the outcome can no longer be learnt (the client closed first).
   */
  public Future<JobOutcome> outcome() {
    return outcome.future();
  }

  /**
   * The job's events in {@code seq} order, each once, ending after the terminal one. The stream
   * flows as soon as it has a handler; {@code pause()}, {@code fetch(n)} and {@code resume()}
   * hold it back. It holds at most {@link SubmitOptions#setMaxBufferedEvents} events the reader
   * has not taken; past that it takes no more from the bus and, once the reader has caught up,
   * asks the pool for the rest ({@code jobs.get} with {@code fromSeq}). Events the pool no longer
   * kept by then ({@code job.maxEventsKept}) are skipped: the next {@link JobEvent#seq()} shows
   * the gap.
   */
  public ReadStream<JobEvent> events() {
    return events;
  }

  /** Cancels the job ({@link PoolClient#cancel}). */
  public Future<Void> cancel() {
    return client.cancel(jobId);
  }

  // ---- from the client, on the context -------------------------------------------------

  Context context() {
    return context;
  }

  /** An event from the bus. */
  void live(JsonObject event) {
    if (JobOutcome.State.of(event.getString("event")) != null) {
      outcome.tryComplete(JobOutcome.of(event));
    }
    events.live(event);
  }

  /** The job's record, from a {@code jobs.get}: its terminal event, if it has ended, settles the outcome. */
  void record(JsonObject record) {
    JsonObject terminal = record.getJsonObject("terminal");
    if (terminal != null) {
      outcome.tryComplete(JobOutcome.of(terminal));
    }
  }

  /** The first record of a watch, with the kept events. */
  void watched(JsonObject record) {
    record(record);
    events.replayed(record.getJsonArray("events", new JsonArray()));
  }

  /** Nothing more will come for this job through this client. */
  void closed(Throwable cause) {
    outcome.tryFail(cause);
    events.fail(cause);
  }

  private Future<JsonObject> replay(long fromSeq) {
    return client.record(jobId, fromSeq, context).onSuccess(this::record);
  }
}
