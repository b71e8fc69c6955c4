package io.warmpool.bench;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a soak run does: how long, how many jobs a second, the worker's heap and how many
 * misbehaving clients. {@code make soak} and {@code make bench-flood} (a run with no job
 * traffic) give them; see testbed/README.md.
 *
 * @param rate        jobs a second, sent open-loop; 0: no job traffic, misbehaving clients only
 * @param heap        the worker's {@code -Xmx} value ({@code 256m})
 * @param heapBoundMb the live heap every sample must stay under; the run fails otherwise
 * @param maxInFlight jobs sent and not ended above which arrivals are held back (then the rate
 *                    was not sustained)
 * @param marginS     how long a job may take to end before it counts as lost
 * @param floodFrames the frames each misbehaving client sends in turn: all four kinds by default,
 *                    fewer to find which of them costs the worker
 */
record SoakOptions(long seconds, double rate, String heap, double heapBoundMb, int flooders, int connections,
                   int maxInFlight, long marginS, List<FloodStats.Frame> floodFrames, Path conf, Path reports) {

  static final String USAGE = "usage: SoakRun [--seconds 1800] [--rate 100] [--heap 256m] [--flooders 2] [--connections 4]"
    + " [--max-in-flight N] [--heap-bound-mb MB] [--margin-seconds 30] [--flood-frames unknown-op,bad-json,submit,subscribe]"
    + " [--conf conf/worker.json] [--reports testbed/reports]"
    + "\n(from the repository root; make soak / make bench-flood build and run it)";

  /**
   * What lets one machine reach a high job rate, over {@code conf/worker.json}: processes
   * reused for many jobs (a JVM start per job caps the rate at a few a second), and load
   * measured by jobs, not CPU, so that the misbehaving clients' own CPU on this machine does not
   * turn the worker {@code full}.
   */
  static final JsonObject WORKER_OVERRIDES = new JsonObject()
    .put("pool", new JsonObject().put("maxJobsPerProcess", 100_000))
    .put("load", new JsonObject().put("source", "jobs"));

  private static final Pattern HEAP = Pattern.compile("([1-9][0-9]*)([kKmMgG]?)");

  static SoakOptions parse(String[] args) {
    long seconds = 1800;
    double rate = 100;
    String heap = "256m";
    Double heapBoundMb = null;
    int flooders = 2;
    int connections = 4;
    Integer maxInFlight = null;
    long marginS = 30;
    List<FloodStats.Frame> floodFrames = List.of(FloodStats.Frame.values());
    Path conf = Path.of("conf/worker.json");
    Path reports = Path.of("testbed/reports");
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      String value = i + 1 < args.length ? args[++i] : null;
      if (value == null) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      switch (option) {
        case "--seconds" -> seconds = whole(option, value, 1, 24 * 3600);
        case "--rate" -> rate = number(option, value, 0, 100_000);
        case "--heap" -> heap = value;
        case "--heap-bound-mb" -> heapBoundMb = number(option, value, 1, 1 << 20);
        case "--flooders" -> flooders = (int) whole(option, value, 0, 10_000);
        case "--connections" -> connections = (int) whole(option, value, 1, 1000);
        case "--max-in-flight" -> maxInFlight = (int) whole(option, value, 1, 1_000_000);
        case "--margin-seconds" -> marginS = whole(option, value, 1, 3600);
        case "--flood-frames" -> floodFrames = Arrays.stream(value.split(",")).map(String::strip).filter(k -> !k.isEmpty())
          .map(FloodStats.Frame::of).toList();
        case "--conf" -> conf = Path.of(value);
        case "--reports" -> reports = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option '" + option + "'");
      }
    }
    double heapMb = heapMb(heap);
    if (floodFrames.isEmpty()) {
      throw new IllegalArgumentException("--flood-frames names no frame kind");
    }
    if (rate == 0 && flooders == 0) {
      throw new IllegalArgumentException("--rate 0 and --flooders 0: the run would do nothing");
    }
    // a second's worth of arrivals, at least 50: a worker that keeps up holds a few in flight
    int inFlight = maxInFlight != null ? maxInFlight : (int) Math.max(50, Math.ceil(rate));
    return new SoakOptions(seconds, rate, heap, heapBoundMb != null ? heapBoundMb : 0.75 * heapMb, flooders, connections,
      inFlight, marginS, floodFrames, conf, reports);
  }

  /** The {@code -Xmx} value in MiB: {@code 256m}, {@code 1g}, {@code 262144k}, or bytes. */
  static double heapMb(String heap) {
    Matcher m = HEAP.matcher(heap);
    if (!m.matches()) {
      throw new IllegalArgumentException("--heap " + heap + " is not an -Xmx value such as 256m or 1g");
    }
    double n = Double.parseDouble(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> n / 1024;
      case "m" -> n;
      case "g" -> n * 1024;
      default -> n / (1024 * 1024);
    };
  }

  /** No job traffic: {@code make bench-flood}. */
  boolean floodOnly() {
    return rate == 0;
  }

  /** Names the report directory and the worker's files in it. */
  String name() {
    return floodOnly() ? "flood" : "soak";
  }

  /** The make command that runs this again, for the table. */
  String makeCommand() {
    String frames = floodFrames.size() == FloodStats.Frame.values().length ? ""
      : " FLOOD_FRAMES=" + floodFrames.stream().map(FloodStats.Frame::key).collect(Collectors.joining(","));
    if (floodOnly()) {
      return "make bench-flood ARGS=\"" + flooders + " " + seconds + "\"" + (heap.equals("256m") ? "" : " SOAK_HEAP=" + heap) + frames;
    }
    return String.format(Locale.ROOT, "make soak SOAK_SECONDS=%d SOAK_RATE=%s SOAK_HEAP=%s FLOODERS=%d%s",
      seconds, rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate), heap, flooders, frames);
  }

  private static long whole(String option, String value, long min, long max) {
    try {
      long n = Long.parseLong(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(option + " " + value + ": must be a whole number from " + min + " to " + max);
  }

  private static double number(String option, String value, double min, double max) {
    try {
      double n = Double.parseDouble(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(option + " " + value + ": must be a number from " + min + " to " + max);
  }
}
