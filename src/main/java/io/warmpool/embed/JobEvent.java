package io.warmpool.embed;

import io.vertx.core.json.JsonObject;

/**
 * One event of a job, as the pool published it on {@code <prefix>.jobs.events} (the WebSocket
 * {@code job} frame; "Job events" in {@code docs/event-bus.md}).
 *
 * @param jobId the job's id
 * @param seq   its number in the job's stream: 1, 2, 3… with no gap, the terminal event last. A
 *              gap in what a stream delivers means the worker no longer kept those events when
 *              the stream asked for them again (it fell behind by more than
 *              {@code job.maxEventsKept})
 * @param type  what happened: {@code started}, {@code output}, {@code log}, {@code completed},
 *              {@code failed} or {@code cancelled} (the event's {@code event} field)
 * @param json  the whole event: {@code data} of an output, {@code result} of a completion…
 */
public record JobEvent(String jobId, long seq, String type, JsonObject json) {

  static JobEvent of(JsonObject event) {
    return new JobEvent(event.getString("jobId"), event.getLong("seq", 0L), event.getString("event"), event);
  }

  /** True for the event that ends the job: {@code completed}, {@code failed} or {@code cancelled}. */
  public boolean terminal() {
    return JobOutcome.State.of(type) != null;
  }
}
