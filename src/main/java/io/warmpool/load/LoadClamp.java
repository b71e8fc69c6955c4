package io.warmpool.load;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.LongSupplier;

/**
 * Turns a raw sample into a load the worker may act on, 0..1: a sample outside 0..1 is clamped
 * and logged, never trusted raw, because a source that misreads (a counter reset, a sidecar's
 * bad arithmetic) must not make the worker refuse every job or take any number of them.
 * <ul>
 *   <li>below 0 → 0, above 1 → 1;</li>
 *   <li>NaN or ±infinity → the previous clamped value (0 before any). A non-finite value is not a
 *   measurement at all: reading it as 0 would tell the pool the machine is idle and make it
 *   spawn, reading it as 1 would reject every job, so the last known load stands.</li>
 * </ul>
 * Every correction is logged at WARN, at most once a minute per source, with the number of
 * corrections held back in between.
 * <p>
 * Not thread-safe: one instance per source, fed from one context.
 */
public final class LoadClamp {

  private static final Logger log = LoggerFactory.getLogger(LoadClamp.class);
  private static final long LOG_PERIOD_MS = 60_000;

  private final String source;
  private final LogThrottle throttle;
  private double last;
  private long warnings;

  /** @param source the source's name, for the log */
  public LoadClamp(String source) {
    this(source, System::currentTimeMillis);
  }

  LoadClamp(String source, LongSupplier clockMillis) {
    this.source = source;
    this.throttle = new LogThrottle(LOG_PERIOD_MS, clockMillis);
  }

  /** Returns {@code raw} brought into 0..1 as described on the class. */
  public double clamp(double raw) {
    double value;
    if (Double.isNaN(raw) || Double.isInfinite(raw)) {
      value = last;
    } else if (raw < 0) {
      value = 0;
    } else if (raw > 1) {
      value = 1;
    } else {
      last = raw;
      return raw;
    }
    if (throttle.allow()) {
      warnings++;
      long heldBack = throttle.takeSuppressed();
      log.warn("Load source '{}' gave {}, not a load in 0..1; using {}{}", source, raw, value,
        heldBack > 0 ? " (" + heldBack + " more such samples since the last warning)" : "");
    }
    last = value;
    return value;
  }

  /** How many warnings were logged; for tests. */
  long warnings() {
    return warnings;
  }
}
