package io.warmpool.testbed;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The pool's spawn and reap counters read out of a /metrics page, and what a run made of them. */
class ScalingCountsTest {

  /** The shape Micrometer's Prometheus registry writes, with neighbours that must not be counted. */
  static final String PAGE = """
    # HELP warmpool_spawns_total Processes started, by cause: demand (a job waited) or target (the idle target)
    # TYPE warmpool_spawns_total counter
    warmpool_spawns_total{cause="demand"} 2.0
    warmpool_spawns_total{cause="target"} 14.0
    # HELP warmpool_reaps_total Processes reaped, by cause
    # TYPE warmpool_reaps_total counter
    warmpool_reaps_total{cause="surplus"} 9.0
    warmpool_reaps_total{cause="crashed",node="a \\"quoted\\" } name"} 1.0 1700000000000
    warmpool_reaps_total_created{cause="surplus"} 1.7E9
    warmpool_spawns_totally{cause="target"} 100.0
    # HELP warmpool_processes Pooled processes by state
    warmpool_processes{state="idle"} 4.0
    warmpool_jobs_total{outcome="completed"} 120.0
    # TYPE warmpool_spawn_cpu_seconds_total counter
    warmpool_spawn_cpu_seconds_total{pool="warmpool"} 6.5
    warmpool_spawns_wasted_total{cause="surplus",pool="warmpool"} 5.0
    warmpool_spawns_wasted_total{cause="crashed",pool="warmpool"} 1.0
    warmpool_spawns_wasted_cpu_seconds_total{pool="warmpool"} 2.25
    """;

  @Test
  void sumsTheSamplesOfBothCountersByCause() {
    ScalingCounts counts = ScalingCounts.parse(PAGE);

    assertThat(counts.spawnsByCause()).isEqualTo(Map.of("demand", 2L, "target", 14L));
    assertThat(counts.reapsByCause()).isEqualTo(Map.of("surplus", 9L, "crashed", 1L));
    assertThat(counts.spawns()).isEqualTo(16);
    assertThat(counts.reaps()).isEqualTo(10);
    assertThat(counts.events()).isEqualTo(26);
    assertThat(counts.spawnCpuSeconds()).isEqualTo(6.5);
    assertThat(counts.wastedByCause()).isEqualTo(Map.of("surplus", 5L, "crashed", 1L));
    assertThat(counts.wasted()).isEqualTo(6);
    assertThat(counts.wastedCpuSeconds()).isEqualTo(2.25);
  }

  @Test
  void aCounterNotRegisteredYetIsZeroAndAPageWithoutThemIsEmpty() {
    ScalingCounts fresh = ScalingCounts.parse("warmpool_spawns_total{cause=\"target\",} 4.0\r\n");

    assertThat(fresh.spawnsByCause()).isEqualTo(Map.of("target", 4L));
    assertThat(fresh.reaps()).isZero();
    assertThat(ScalingCounts.parse("").events()).isZero();
    assertThat(ScalingCounts.parse("# nothing but comments\nwarmpool_spawns_total{cause=\"target\"} NaN-ish\n").events()).isZero();
  }

  @Test
  void theRunCountsWhatHappenedSinceItsStart() {
    // the warm-up spawned 4 for the target before the load; nothing was reaped yet, so no reap counter
    ScalingCounts atStart = ScalingCounts.parse("warmpool_spawns_total{cause=\"target\"} 4.0\n"
      + "warmpool_spawn_cpu_seconds_total 1.5\nwarmpool_spawns_wasted_total{cause=\"surplus\"} 0.0\n");
    ScalingCounts atEnd = ScalingCounts.parse(PAGE);

    ScalingCounts run = atEnd.since(atStart);

    assertThat(run.spawnsByCause()).isEqualTo(Map.of("demand", 2L, "target", 10L));
    assertThat(run.reapsByCause()).isEqualTo(Map.of("surplus", 9L, "crashed", 1L));
    assertThat(run.events()).isEqualTo(22);
    assertThat(run.spawnCpuSeconds()).isEqualTo(5.0);
    assertThat(run.wastedByCause()).isEqualTo(Map.of("surplus", 5L, "crashed", 1L));
    // 22 events in 30 s
    assertThat(run.eventsPerMinute(30_000)).isCloseTo(44.0, within(1e-9));
    assertThat(run.eventsPerMinute(0)).isNaN();
  }
}
