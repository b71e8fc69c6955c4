package io.warmpool.web;

import org.slf4j.Logger;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A log line for something a client can cause at will (a refused request, a wrong token): at
 * most one per interval, enough to see that it happens and from where, never enough to fill a
 * disk. A line says how many like it were left out since the one before. Used on one event loop.
 */
final class RateLimitedLog {

  static final long INTERVAL_MS = 10_000;

  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final Consumer<String> sink;
  private boolean loggedOnce;
  private long lastNanos;
  private long leftOut;

  /** Lines at WARN on {@code log}, at most one per {@link #INTERVAL_MS}. */
  RateLimitedLog(Logger log) {
    this(INTERVAL_MS, System::nanoTime, log::warn);
  }

  RateLimitedLog(long intervalMs, LongSupplier nanoClock, Consumer<String> sink) {
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
    this.nanoClock = nanoClock;
    this.sink = sink;
  }

  /** Logs the line unless one was logged less than the interval ago; the line is built only when it is logged. */
  void log(Supplier<String> line) {
    long now = nanoClock.getAsLong();
    if (loggedOnce && now - lastNanos < intervalNanos) {
      leftOut++;
      return;
    }
    String text = line.get();
    if (leftOut > 0) {
      text += " (and " + leftOut + " more like it since the last such line)";
    }
    sink.accept(text);
    loggedOnce = true;
    lastNanos = now;
    leftOut = 0;
  }
}
