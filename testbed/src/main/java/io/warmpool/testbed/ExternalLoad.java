package io.warmpool.testbed;

import java.util.Set;

/**
 * The load a run sets on a worker with {@code load.source} external ({@code PUT /load}), as a
 * function of the time since the load started. Pure, like {@link ArrivalProfile}: the run only
 * sends what it says, and a test checks it without a clock.
 *
 * <p>Both shapes start at {@code low}, so a warm pool meets an available worker first.
 */
public sealed interface ExternalLoad {

  Set<String> TYPES = Set.of("square", "sine");
  /** Shorter than two load samples per half period would not swing the averaged load at all. */
  long MIN_PERIOD_MS = 1000;
  long MAX_PERIOD_MS = 3_600_000;

  /** The load, 0..1, at {@code elapsedMs} from the start of the load (before it: as at 0). */
  double at(long elapsedMs);

  /** Short text for progress lines and reports. */
  String describe();

  /** {@code low} for the first half of each period, {@code high} for the second. */
  record Square(double low, double high, long periodMs) implements ExternalLoad {
    @Override
    public double at(long elapsedMs) {
      long phase = Math.floorMod(Math.max(0, elapsedMs), periodMs);
      return phase < periodMs / 2 ? low : high;
    }

    @Override
    public String describe() {
      return "square " + JsonFields.plain(low) + "/" + JsonFields.plain(high) + " every " + periodMs / 1000.0 + " s";
    }
  }

  /** From {@code low} up to {@code high} at half the period and back, smoothly. */
  record Sine(double low, double high, long periodMs) implements ExternalLoad {
    @Override
    public double at(long elapsedMs) {
      long phase = Math.floorMod(Math.max(0, elapsedMs), periodMs);
      return low + (high - low) * (1 - Math.cos(2 * Math.PI * phase / periodMs)) / 2;
    }

    @Override
    public String describe() {
      return "sine " + JsonFields.plain(low) + "…" + JsonFields.plain(high) + " every " + periodMs / 1000.0 + " s";
    }
  }

  /** Reads {@code {"type": "square"|"sine", "low": …, "high": …, "periodMs": …}}. */
  static ExternalLoad fromJson(JsonFields json) throws ScenarioException {
    String type = json.text("type", TYPES, null);
    json.allowOnly("type", "low", "high", "periodMs");
    double low = json.number("low", 0, 1);
    double high = json.number("high", 0, 1);
    if (high <= low) {
      throw new ScenarioException(json.name("high") + " must be above " + json.name("low") + " (" + JsonFields.plain(low)
        + "), not " + JsonFields.plain(high));
    }
    long periodMs = json.whole("periodMs", MIN_PERIOD_MS, MAX_PERIOD_MS);
    return switch (type) {
      case "square" -> new Square(low, high, periodMs);
      case "sine" -> new Sine(low, high, periodMs);
      default -> throw new IllegalStateException("unreachable: " + type);
    };
  }
}
