package io.warmpool.bus;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The {@code trace} object of a job's {@code started} event when {@code job.traceHops} is on: the
 * moment each hop of the job's way from its submission to its start was passed, as
 * {@link System#nanoTime()} of the worker's JVM, in nanoseconds. On Linux that is the machine's
 * monotonic clock, the same in every process, so a client on the same machine can put its own
 * stamps beside these (it wrote the submission before {@link #READ}, read the event after
 * {@link #WRITTEN}) and see where the time of a start goes. Each stamp is taken where the work it
 * names is done: the pool's by the pool, the web verticle's by the web verticle.
 */
public final class HopTrace {

  public static final String FIELD = "trace";

  /** The node read the submission: the WebSocket frame, or a bus request's body. */
  public static final String READ = "read";
  /** The pool admitted it. */
  public static final String ACCEPTED = "accepted";
  /** The pool handed it to an idle process: its {@code start} frame goes to the child's socket. */
  public static final String HANDED_OVER = "handedOver";
  /** The pool read the child's {@code started}. */
  public static final String STARTED = "started";
  /** The web verticle received the {@code started} event from the bus. */
  public static final String DELIVERED = "delivered";
  /** The web verticle wrote the event's frame to the client's WebSocket. */
  public static final String WRITTEN = "written";

  /** The stamps in the order a job passes them. */
  public static final List<String> STAMPS = List.of(READ, ACCEPTED, HANDED_OVER, STARTED, DELIVERED, WRITTEN);

  /** The pool's stamps, the ones it passed. */
  public static JsonObject ofPool(long readNanos, long acceptedNanos, long handedOverNanos, long startedNanos) {
    return new JsonObject().put(READ, readNanos).put(ACCEPTED, acceptedNanos).put(HANDED_OVER, handedOverNanos)
      .put(STARTED, startedNanos);
  }

  /** Adds {@code stamp}, now, to a traced event; an event without a trace is left as it is. */
  public static void stamp(JsonObject event, String stamp) {
    if (event.getValue(FIELD) instanceof JsonObject trace) {
      trace.put(stamp, System.nanoTime());
    }
  }

  private HopTrace() {
  }
}
