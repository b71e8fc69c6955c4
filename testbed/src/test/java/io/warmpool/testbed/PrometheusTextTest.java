package io.warmpool.testbed;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A metric's samples out of a /metrics page: the heap the soak reads, summed over its pools. */
class PrometheusTextTest {

  static final String PAGE = """
    # HELP jvm_memory_used_bytes The amount of used memory
    # TYPE jvm_memory_used_bytes gauge
    jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 0.0
    jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 1.2E7
    jvm_memory_used_bytes{area="heap",id="G1 Survivor Space"} 1048576.0
    jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 4.0E7
    jvm_memory_used_bytes_max{area="heap"} 9.9E9
    warmpool_ws_queued_bytes 2048.0
    warmpool_ws_paused_clients NaN
    """;

  @Test
  void sumsTheSamplesWithALabelValueOrAll() {
    assertThat(PrometheusText.sum(PAGE, "jvm_memory_used_bytes", "area", "heap")).isCloseTo(13_048_576.0, within(1e-6));
    assertThat(PrometheusText.sum(PAGE, "jvm_memory_used_bytes")).isCloseTo(53_048_576.0, within(1e-6));
    assertThat(PrometheusText.sum(PAGE, "warmpool_ws_queued_bytes")).isEqualTo(2048.0);
  }

  @Test
  void aMetricNotOnThePageOrNotANumberCountsNothing() {
    assertThat(PrometheusText.sum(PAGE, "warmpool_ws_paused_clients")).isZero();
    assertThat(PrometheusText.sum(PAGE, "warmpool_job_records_dropped_total")).isZero();
    assertThat(PrometheusText.samples(PAGE, "jvm_memory_used_bytes")).hasSize(4)
      .allMatch(s -> s.label("id") != null).noneMatch(s -> s.label("cause") != null);
  }
}
