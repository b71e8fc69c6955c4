package io.warmpool.bench;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * What the misbehaving clients did and what the worker did to them, counted by all of them at
 * once from their event loops and read by the run's main thread: every count is a {@link LongAdder}.
 */
final class FloodStats {

  /** The frames a misbehaving client sends in turn, each of which earns a reply. */
  enum Frame {
    UNKNOWN_OP("{\"op\":\"fly\",\"ref\":\"f\"}"),
    BAD_JSON("{not json"),
    SUBMIT("{\"op\":\"submit\",\"payload\":{\"op\":\"echo\",\"value\":\"f\"}}"),
    SUBSCRIBE("{\"op\":\"subscribe\",\"ref\":\"s\",\"topic\":\"pool\"}");

    final String text;

    Frame(String text) {
      this.text = text;
    }

    /** {@code unknown-op}, {@code bad-json}, {@code submit}, {@code subscribe}: as {@code --flood-frames} names them. */
    String key() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Frame of(String key) {
      for (Frame frame : values()) {
        if (frame.key().equals(key)) {
          return frame;
        }
      }
      throw new IllegalArgumentException("--flood-frames: no frame kind '" + key + "' (unknown-op, bad-json, submit, subscribe)");
    }
  }

  private final Map<Frame, LongAdder> sent = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> closes = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> connectFailures = new ConcurrentHashMap<>();
  final LongAdder connections = new LongAdder();
  /** The worker read a client again after ignoring it, yet did not close it: a client stuck for another reason. */
  final LongAdder resumedNotClosed = new LongAdder();

  void sent(Frame frame) {
    sent.computeIfAbsent(frame, f -> new LongAdder()).increment();
  }

  /** A connection ended: by the worker's close frame, or without one read ({@code code} null). */
  void closed(Short code, String reason) {
    String key = code == null ? "closed without a close frame" : code + (reason == null || reason.isEmpty() ? "" : " " + reason);
    closes.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  void connectFailed(Throwable err) {
    String message = String.valueOf(err.getMessage());
    // a message per kind, not per attempt: a worker that refuses for minutes must not grow this
    String key = message.length() > 80 ? message.substring(0, 80) + "…" : message;
    if (connectFailures.size() < 20 || connectFailures.containsKey(key)) {
      connectFailures.computeIfAbsent(key, k -> new LongAdder()).increment();
    }
  }

  long framesSent() {
    return sent.values().stream().mapToLong(LongAdder::sum).sum();
  }

  Map<String, Long> framesByKind() {
    return counts(sent.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().key(), Map.Entry::getValue)));
  }

  Map<String, Long> closes() {
    return counts(closes);
  }

  long closeCount() {
    return closes.values().stream().mapToLong(LongAdder::sum).sum();
  }

  Map<String, Long> connectFailures() {
    return counts(connectFailures);
  }

  private static Map<String, Long> counts(Map<String, LongAdder> adders) {
    Map<String, Long> counts = new TreeMap<>();
    adders.forEach((k, v) -> counts.put(k, v.sum()));
    return counts;
  }
}
