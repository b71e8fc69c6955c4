package io.warmpool.embed;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.function.LongFunction;

/**
 * The events of one job, in {@code seq} order and each once, with back-pressure: what
 * {@link SubmittedJob#events()} returns. Everything runs on the job's context.
 *
 * <p>It holds at most {@code capacity} events that the reader has not taken (paused, or no
 * handler yet). An event that does not fit, or that comes while the stream is behind, is not
 * held: the pool keeps every job's events ({@code job.maxEventsKept}), so once the reader has
 * taken all that is held, the stream asks {@code <prefix>.jobs.get} for those after the last one
 * it held ({@code fromSeq}) and goes on from there. What the pool no longer kept by then is
 * skipped: the next event's {@code seq} shows the gap. The stream ends after the terminal event.
 */
final class JobEventStream extends ContextStream<JobEvent> {

  private final int capacity;
  /** The job's record with its kept events numbered above the given seq ({@code jobs.get} with {@code fromSeq}). */
  private final LongFunction<Future<JsonObject>> replay;
  private final ArrayDeque<JobEvent> held = new ArrayDeque<>();
  /** The seq of the newest event taken into {@link #held}; 0 before the first. */
  private long lastHeld;
  /** The seq of the newest event known to exist: seen on the bus or in a replay. */
  private long newestKnown;
  /** A replay is on its way: live events are not held meanwhile, it brings them. */
  private boolean replaying;
  private boolean terminalHeld;
  private boolean delivering;

  /**
   * @param replaying whether the stream starts with a replay on its way (a watch, whose first
   *                  {@code jobs.get} its caller makes and hands to {@link #replayed})
   */
  JobEventStream(Context context, int capacity, LongFunction<Future<JsonObject>> replay, boolean replaying) {
    super(context);
    this.capacity = capacity;
    this.replay = replay;
    this.replaying = replaying;
  }

  // ---- from the bus (on the context) ---------------------------------------------------

  /** An event published on the bus. */
  void live(JsonObject event) {
    long seq = event.getLong("seq", 0L);
    newestKnown = Math.max(newestKnown, seq);
    if (ended() || terminalHeld || seq <= lastHeld) {
      return;
    }
    // the next one, with room for it: held; anything else is fetched once the reader catches up
    if (!replaying && seq == lastHeld + 1 && held.size() < capacity) {
      hold(event);
    }
    deliver();
  }

  /** The kept events of a replay, in order; those the pool no longer kept are skipped. */
  void replayed(JsonArray events) {
    replaying = false;
    for (Object item : events) {
      JsonObject event = (JsonObject) item;
      long seq = event.getLong("seq", 0L);
      newestKnown = Math.max(newestKnown, seq);
      if (seq > lastHeld && !terminalHeld && held.size() < capacity) {
        hold(event);
      }
    }
    deliver();
  }

  /** Nothing more can come (the client closed, the job's record is gone): the reader is told and the stream ends. */
  void fail(Throwable cause) {
    replaying = false;
    end(cause);
  }

  private void hold(JsonObject event) {
    JobEvent next = JobEvent.of(event);
    held.add(next);
    lastHeld = next.seq();
    terminalHeld = next.terminal();
  }

  @Override
  protected void deliver() {
    if (delivering) {
      // a handler that pauses, fetches or resumes: the loop below carries on with what it set
      return;
    }
    delivering = true;
    try {
      while (wants() && !held.isEmpty()) {
        JobEvent event = held.poll();
        handOver(event);
        if (event.terminal()) {
          end(null);
        }
      }
    } finally {
      delivering = false;
    }
    // all that was held is taken and more exists: fetched now, up to capacity, whether or not
    // the reader wants it yet
    if (!ended() && !replaying && !terminalHeld && held.isEmpty() && newestKnown > lastHeld) {
      replaying = true;
      replay.apply(lastHeld).onComplete(ar -> {
        if (ar.succeeded()) {
          replayed(ar.result().getJsonArray("events", new JsonArray()));
        } else {
          fail(ar.cause());
        }
      });
    }
  }

  @Override
  protected void end(Throwable cause) {
    held.clear();
    super.end(cause);
  }
}
