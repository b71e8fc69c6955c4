package io.warmpool.testbed;

import io.vertx.core.json.JsonObject;
import io.warmpool.bus.HopTrace;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the time of a start goes: the client's send and read put beside the stamps of a traced
 * {@code started} event ({@code job.traceHops}, {@link HopTrace}), one histogram per hop. The
 * client and the worker run on one machine, whose monotonic clock both read.
 */
final class HopTable {

  /** The way between two stamps; {@link #SENT} and {@link #RECEIVED} are the client's own. */
  record Hop(String name, String from, String to) {
  }

  static final String SENT = "sent";
  static final String RECEIVED = "received";

  static final List<Hop> HOPS = List.of(
    new Hop("client → web verticle: the socket, the web event loop waking, the frame read", SENT, HopTrace.READ),
    new Hop("web verticle → pool admitted it: the event bus request, the start frame encoded, admission",
      HopTrace.READ, HopTrace.ACCEPTED),
    new Hop("admitted → handed to an idle process", HopTrace.ACCEPTED, HopTrace.HANDED_OVER),
    new Hop("start frame written → child's started read: two loopback sockets, the child, the pool event loop waking",
      HopTrace.HANDED_OVER, HopTrace.STARTED),
    new Hop("started read → event at the web verticle: numbered, kept, published on the event bus",
      HopTrace.STARTED, HopTrace.DELIVERED),
    new Hop("web verticle: event → frame written", HopTrace.DELIVERED, HopTrace.WRITTEN),
    new Hop("frame written → client read it: the socket, the client's event loop waking", HopTrace.WRITTEN, RECEIVED));

  private final List<Histogram> us = new ArrayList<>();
  private final Histogram total = RoundTrips.microseconds();

  HopTable() {
    HOPS.forEach(hop -> us.add(RoundTrips.microseconds()));
  }

  /** One traced start: the {@code started} frame the client read, and its own two moments. */
  void record(String startedFrame, long sentNanos, long receivedNanos) {
    JsonObject trace = new JsonObject(startedFrame).getJsonObject(HopTrace.FIELD);
    if (trace == null) {
      throw new IllegalStateException("the started event carries no trace (job.traceHops off?): " + startedFrame);
    }
    JsonObject stamps = trace.copy().put(SENT, sentNanos).put(RECEIVED, receivedNanos);
    for (int i = 0; i < HOPS.size(); i++) {
      Hop hop = HOPS.get(i);
      long nanos = stamps.getLong(hop.to()) - stamps.getLong(hop.from());
      if (nanos < 0) {
        throw new IllegalStateException(hop.from() + " after " + hop.to() + ": " + stamps.encode());
      }
      RoundTrips.recordNanos(us.get(i), nanos);
    }
    RoundTrips.recordNanos(total, receivedNanos - sentNanos);
  }

  /** Each hop's median, in the order of {@link #HOPS}, in milliseconds. */
  double[] p50Ms() {
    return percentileMs(50);
  }

  /** Each hop's 99th percentile, in the order of {@link #HOPS}, in milliseconds: where the tail goes. */
  double[] p99Ms() {
    return percentileMs(99);
  }

  private double[] percentileMs(double percentile) {
    return us.stream().mapToDouble(h -> h.getValueAtPercentile(percentile) / 1000.0).toArray();
  }

  double totalP50Ms() {
    return total.getValueAtPercentile(50) / 1000.0;
  }

  double totalP99Ms() {
    return total.getValueAtPercentile(99) / 1000.0;
  }
}
