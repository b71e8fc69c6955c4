package io.warmpool.testbed;

import java.util.Map;
import java.util.TreeMap;

/**
 * The pool's scaling as its own counters tell it: processes spawned and reaped, by cause, and
 * what the spawns cost (the CPU to ready, and the spawns wasted: closed without a job), read
 * from the worker's {@code GET /metrics} ({@value #SPAWNS}, {@value #REAPS}, {@value #SPAWN_CPU},
 * {@value #WASTED}, {@value #WASTED_CPU}). A run
 * reads them when its load starts and when it ends; the difference is what the load made the
 * pool do, without the warm-up that filled it.
 *
 * <p>It sums the samples of those two names ({@link PrometheusText}) by their {@code cause}
 * label, which is all the report needs. A counter the worker has not registered yet (nothing
 * reaped so far) counts as 0.
 *
 * @param spawnsByCause {@code demand} (a job waited) and {@code target} (the idle target)
 * @param reapsByCause  the pool's exit causes: {@code surplus}, {@code recycled}, {@code crashed}, …
 * @param spawnCpuSeconds   CPU the processes that became ready used to start
 * @param wastedByCause     processes closed without ever being handed a job, by why they were closed
 * @param wastedCpuSeconds  CPU the starts of those took
 */
public record ScalingCounts(Map<String, Long> spawnsByCause, Map<String, Long> reapsByCause, double spawnCpuSeconds,
                            Map<String, Long> wastedByCause, double wastedCpuSeconds) {

  static final String SPAWNS = "warmpool_spawns_total";
  static final String REAPS = "warmpool_reaps_total";
  static final String SPAWN_CPU = "warmpool_spawn_cpu_seconds_total";
  static final String WASTED = "warmpool_spawns_wasted_total";
  static final String WASTED_CPU = "warmpool_spawns_wasted_cpu_seconds_total";

  public ScalingCounts {
    spawnsByCause = Map.copyOf(spawnsByCause);
    reapsByCause = Map.copyOf(reapsByCause);
    wastedByCause = Map.copyOf(wastedByCause);
  }

  /** Spawns and reaps alone, for a worker that does not count their cost. */
  public ScalingCounts(Map<String, Long> spawnsByCause, Map<String, Long> reapsByCause) {
    this(spawnsByCause, reapsByCause, 0, Map.of(), 0);
  }

  public long wasted() {
    return wastedByCause.values().stream().mapToLong(Long::longValue).sum();
  }

  public long spawns() {
    return spawnsByCause.values().stream().mapToLong(Long::longValue).sum();
  }

  public long reaps() {
    return reapsByCause.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Spawns and reaps together: each is a process the pool started or ended for its own reasons. */
  public long events() {
    return spawns() + reaps();
  }

  /** Events per minute over {@code ms}; NaN for no time. */
  public double eventsPerMinute(long ms) {
    return ms <= 0 ? Double.NaN : events() * 60_000.0 / ms;
  }

  /** What happened between {@code before} and this reading. */
  public ScalingCounts since(ScalingCounts before) {
    return new ScalingCounts(minus(spawnsByCause, before.spawnsByCause), minus(reapsByCause, before.reapsByCause),
      minus(spawnCpuSeconds, before.spawnCpuSeconds), minus(wastedByCause, before.wastedByCause),
      minus(wastedCpuSeconds, before.wastedCpuSeconds));
  }

  private static Map<String, Long> minus(Map<String, Long> now, Map<String, Long> before) {
    Map<String, Long> delta = new TreeMap<>();
    now.forEach((cause, count) -> {
      // counters only go up: less than before means the worker restarted in between, so count from its 0
      long d = count - before.getOrDefault(cause, 0L);
      delta.put(cause, d < 0 ? count : d);
    });
    return delta;
  }

  private static double minus(double now, double before) {
    return now < before ? now : now - before;
  }

  /** The counters out of a {@code /metrics} page in the Prometheus text format. */
  public static ScalingCounts parse(String prometheusText) {
    return new ScalingCounts(byCause(prometheusText, SPAWNS), byCause(prometheusText, REAPS),
      PrometheusText.sum(prometheusText, SPAWN_CPU), byCause(prometheusText, WASTED),
      PrometheusText.sum(prometheusText, WASTED_CPU));
  }

  private static Map<String, Long> byCause(String page, String name) {
    Map<String, Long> counts = new TreeMap<>();
    for (PrometheusText.Sample sample : PrometheusText.samples(page, name)) {
      String cause = sample.label("cause");
      counts.merge(cause == null ? "unknown" : cause, Math.round(sample.value()), Long::sum);
    }
    return counts;
  }
}
