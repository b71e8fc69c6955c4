package io.warmpool.testbed;

import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * When jobs arrive. Pure: a profile gives the target rate at an elapsed time and the whole
 * schedule of arrival times for a run, computed before the run starts, so the generator only
 * has to keep to it and a unit test can count it without a clock.
 *
 * <p>Deterministic profiles space arrivals evenly along the integral of their rate (an arrival
 * each time the expected count passes another whole number, starting half a job in, so a
 * window holds its expected count rounded). {@link Poisson} draws exponential gaps from a
 * seeded {@link Random}: the same seed, the same run. {@link ClosedLoop} has no schedule: it
 * keeps a number of jobs in flight, which measures throughput rather than latency.
 */
public sealed interface ArrivalProfile {

  /** No run is planned with more arrivals than this: a mistyped rate must not eat the memory. */
  int MAX_ARRIVALS = 1_000_000;

  Set<String> TYPES = Set.of("constant", "ramp", "step", "spike", "poisson", "burst", "closed");

  /** The target rate in jobs per second at {@code elapsedMs} from the start of the load. */
  double rateAt(long elapsedMs);

  /**
   * Arrival times in ms from the start, ascending, each in {@code [0, durationMs)}.
   *
   * @throws IllegalStateException beyond {@link #MAX_ARRIVALS}
   */
  long[] schedule(long durationMs);

  /** Short text for progress lines and reports. */
  String describe();

  record Constant(double rate) implements ArrivalProfile {
    @Override
    public double rateAt(long elapsedMs) {
      return rate;
    }

    @Override
    public long[] schedule(long durationMs) {
      return integrate(this, durationMs);
    }

    @Override
    public String describe() {
      return "constant " + JsonFields.plain(rate) + "/s";
    }
  }

  /** From {@code from} to {@code to} jobs/s linearly over {@code overMs}, then {@code to}. */
  record Ramp(double from, double to, long overMs) implements ArrivalProfile {
    @Override
    public double rateAt(long elapsedMs) {
      if (elapsedMs >= overMs) {
        return to;
      }
      return from + (to - from) * elapsedMs / overMs;
    }

    @Override
    public long[] schedule(long durationMs) {
      return integrate(this, durationMs);
    }

    @Override
    public String describe() {
      return "ramp " + JsonFields.plain(from) + "→" + JsonFields.plain(to) + "/s over " + overMs / 1000.0 + " s";
    }
  }

  /** Rates that hold from their {@code atMs} until the next step's; 0 before the first. */
  record Step(List<Level> levels) implements ArrivalProfile {

    public record Level(long atMs, double rate) {
    }

    @Override
    public double rateAt(long elapsedMs) {
      double rate = 0;
      for (Level level : levels) {
        if (level.atMs <= elapsedMs) {
          rate = level.rate;
        }
      }
      return rate;
    }

    @Override
    public long[] schedule(long durationMs) {
      return integrate(this, durationMs);
    }

    @Override
    public String describe() {
      StringBuilder text = new StringBuilder("step");
      for (Level level : levels) {
        text.append(' ').append(JsonFields.plain(level.rate)).append("/s@").append(level.atMs / 1000.0).append('s');
      }
      return text.toString();
    }
  }

  /** {@code base} jobs/s, and {@code peak} from {@code atMs} for {@code forMs}. */
  record Spike(double base, double peak, long atMs, long forMs) implements ArrivalProfile {
    @Override
    public double rateAt(long elapsedMs) {
      return elapsedMs >= atMs && elapsedMs < atMs + forMs ? peak : base;
    }

    @Override
    public long[] schedule(long durationMs) {
      return integrate(this, durationMs);
    }

    @Override
    public String describe() {
      return "spike " + JsonFields.plain(base) + "/s, " + JsonFields.plain(peak) + "/s at " + atMs / 1000.0 + " s for " + forMs / 1000.0 + " s";
    }
  }

  /** Arrivals at random with a mean of {@code rate} a second: gaps are exponential. */
  record Poisson(double rate, long seed) implements ArrivalProfile {
    @Override
    public double rateAt(long elapsedMs) {
      return rate;
    }

    @Override
    public long[] schedule(long durationMs) {
      Random random = new Random(seed);
      LongList times = new LongList();
      double t = 0;
      while (true) {
        // 1 - nextDouble() is in (0, 1]: the log is finite
        t += -Math.log(1.0 - random.nextDouble()) / rate * 1000.0;
        if (t >= durationMs) {
          return times.toArray();
        }
        times.add((long) t);
      }
    }

    @Override
    public String describe() {
      return "poisson " + JsonFields.plain(rate) + "/s (seed " + seed + ")";
    }
  }

  /** {@code count} jobs at once at {@code atMs}, again every {@code everyMs} if that is above 0. */
  record Burst(int count, long atMs, long everyMs) implements ArrivalProfile {
    @Override
    public double rateAt(long elapsedMs) {
      // a burst has no rate: all its jobs are due at one instant
      return 0;
    }

    @Override
    public long[] schedule(long durationMs) {
      LongList times = new LongList();
      for (long at = atMs; at < durationMs; at += everyMs) {
        for (int i = 0; i < count; i++) {
          times.add(at);
        }
        if (everyMs <= 0) {
          break;
        }
      }
      return times.toArray();
    }

    @Override
    public String describe() {
      return "burst of " + count + " at " + atMs / 1000.0 + " s" + (everyMs > 0 ? " every " + everyMs / 1000.0 + " s" : "");
    }
  }

  /** {@code inFlight} jobs outstanding at all times: a new one as soon as one ends. */
  record ClosedLoop(int inFlight) implements ArrivalProfile {
    @Override
    public double rateAt(long elapsedMs) {
      return Double.NaN;
    }

    @Override
    public long[] schedule(long durationMs) {
      return new long[0];
    }

    @Override
    public String describe() {
      return "closed loop, " + inFlight + " jobs in flight";
    }
  }

  /**
   * Reads {@code {"type": …, …}}.
   *
   * @param durationMs the run's length: a ramp without {@code overMs} ramps over all of it
   * @param seed       the scenario's seed, for a Poisson profile without its own
   */
  static ArrivalProfile fromJson(JsonFields json, long durationMs, long seed) throws ScenarioException {
    String type = json.text("type", TYPES, null);
    double maxRate = 10_000;
    switch (type) {
      case "constant" -> {
        json.allowOnly("type", "rate");
        return new Constant(json.number("rate", 0.001, maxRate));
      }
      case "ramp" -> {
        json.allowOnly("type", "from", "to", "overMs");
        return new Ramp(json.number("from", 0, maxRate), json.number("to", 0, maxRate),
          json.whole("overMs", 1, Long.MAX_VALUE, durationMs));
      }
      case "step" -> {
        json.allowOnly("type", "levels");
        JsonArray array = json.array("levels", true);
        List<Step.Level> levels = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
          JsonFields level = json.element("levels", array, i);
          level.allowOnly("atMs", "rate");
          long at = level.whole("atMs", 0, Long.MAX_VALUE);
          if (!levels.isEmpty() && at <= levels.get(levels.size() - 1).atMs()) {
            throw new ScenarioException(level.name("atMs") + " must be after the level before it (" + levels.get(levels.size() - 1).atMs() + "), not " + at);
          }
          levels.add(new Step.Level(at, level.number("rate", 0, maxRate)));
        }
        return new Step(List.copyOf(levels));
      }
      case "spike" -> {
        json.allowOnly("type", "base", "peak", "atMs", "forMs");
        return new Spike(json.number("base", 0, maxRate), json.number("peak", 0, maxRate),
          json.whole("atMs", 0, Long.MAX_VALUE), json.whole("forMs", 1, Long.MAX_VALUE));
      }
      case "poisson" -> {
        json.allowOnly("type", "rate", "seed");
        return new Poisson(json.number("rate", 0.001, maxRate), json.whole("seed", Long.MIN_VALUE, Long.MAX_VALUE, seed));
      }
      case "burst" -> {
        json.allowOnly("type", "count", "atMs", "everyMs");
        return new Burst((int) json.whole("count", 1, 100_000), json.whole("atMs", 0, Long.MAX_VALUE),
          json.whole("everyMs", 0, Long.MAX_VALUE, 0));
      }
      case "closed" -> {
        json.allowOnly("type", "inFlight");
        return new ClosedLoop((int) json.whole("inFlight", 1, 10_000));
      }
      default -> throw new IllegalStateException("unreachable: " + type);
    }
  }

  /**
   * Arrivals of a rate function: the expected count is summed in 1 ms steps and an arrival is
   * placed at each step where it passes another whole number.
   */
  private static long[] integrate(ArrivalProfile profile, long durationMs) {
    LongList times = new LongList();
    // half a job up front: a window then holds its expected count rounded, not truncated
    double expected = 0.5;
    for (long t = 0; t < durationMs; t++) {
      expected += profile.rateAt(t) / 1000.0;
      while (expected >= 1.0) {
        times.add(t);
        expected -= 1.0;
      }
    }
    return times.toArray();
  }

  /** A growable list of longs, so a long schedule does not box a million values. */
  final class LongList {
    private long[] values = new long[64];
    private int size;

    void add(long value) {
      if (size == MAX_ARRIVALS) {
        throw new IllegalStateException("more than " + MAX_ARRIVALS + " arrivals: lower the rate or the duration");
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, values.length * 2);
      }
      values[size++] = value;
    }

    long[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
