package io.warmpool.pool;

import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of one job, numbered from 1 ({@code seq}) and kept so that a client that comes
 * back can ask for what it missed ({@code watch} with {@code fromSeq}). Bounded: beyond
 * {@code job.maxEventsKept} events or {@code job.maxEventsKeptKb} of them, the oldest go first,
 * and a replay says how many of the asked-for events are gone. The newest event, which is the
 * terminal one once the job has ended, is always kept.
 */
final class JobEventLog {

  /** What a client gets back: the kept events after the one it last saw, and how many after it are gone. */
  record Replay(List<JsonObject> events, long missed) {
  }

  private record Kept(JsonObject event, long seq, int bytes) {
  }

  private final ArrayDeque<Kept> kept = new ArrayDeque<>();
  private long nextSeq = 1;
  private long bytes;

  /**
   * Numbers {@code event} (its {@code seq} field) and keeps it.
   *
   * @return how many older events were dropped to keep within the bounds
   */
  int append(JsonObject event, int maxEvents, long maxBytes) {
    long seq = nextSeq++;
    event.put("seq", seq);
    // the size the event has on the wire: what holding it costs, about
    int size = event.encode().length();
    kept.addLast(new Kept(event, seq, size));
    bytes += size;
    int dropped = 0;
    while (kept.size() > 1 && (kept.size() > maxEvents || bytes > maxBytes)) {
      bytes -= kept.pollFirst().bytes();
      dropped++;
    }
    return dropped;
  }

  /**
   * The kept events numbered above {@code seq}, in order; {@code missed} counts those above it no
   * longer kept. The events are the kept objects themselves: the bus copies what it delivers.
   */
  Replay after(long seq) {
    List<JsonObject> events = new ArrayList<>();
    for (Kept event : kept) {
      if (event.seq() > seq) {
        events.add(event.event());
      }
    }
    long firstKept = kept.isEmpty() ? nextSeq : kept.peekFirst().seq();
    return new Replay(events, Math.max(0, firstKept - Math.max(seq, 0) - 1));
  }

  /** What the kept events weigh, about. */
  long bytes() {
    return bytes;
  }

  /** The number the next event will get; one above the last event's. */
  long nextSeq() {
    return nextSeq;
  }
}
