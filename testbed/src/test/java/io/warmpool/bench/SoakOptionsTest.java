package io.warmpool.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The soak's command line as make soak and make bench-flood give it, and the command it names in its table. */
class SoakOptionsTest {

  @Test
  void theHeapBoundIsThreeQuartersOfTheHeapUnlessGiven() {
    SoakOptions soak = SoakOptions.parse(new String[] {"--seconds", "40", "--rate", "50", "--heap", "1g", "--flooders", "2"});

    assertThat(soak.heapBoundMb()).isCloseTo(768.0, within(1e-9));
    assertThat(soak.maxInFlight()).isEqualTo(50);
    assertThat(soak.floodFrames()).containsExactly(FloodStats.Frame.values());
    assertThat(soak.makeCommand()).isEqualTo("make soak SOAK_SECONDS=40 SOAK_RATE=50 SOAK_HEAP=1g FLOODERS=2");
    assertThat(SoakOptions.parse(new String[] {"--heap", "256m", "--heap-bound-mb", "100"}).heapBoundMb()).isEqualTo(100.0);
    assertThat(SoakOptions.heapMb("262144k")).isEqualTo(256.0);
  }

  @Test
  void rateZeroIsTheFloodBenchmark() {
    SoakOptions flood = SoakOptions.parse(new String[] {"--rate", "0", "--flooders", "20", "--seconds", "20",
      "--flood-frames", "subscribe, submit"});

    assertThat(flood.floodOnly()).isTrue();
    assertThat(flood.name()).isEqualTo("flood");
    assertThat(flood.floodFrames()).isEqualTo(List.of(FloodStats.Frame.SUBSCRIBE, FloodStats.Frame.SUBMIT));
    assertThat(flood.makeCommand()).isEqualTo("make bench-flood ARGS=\"20 20\" FLOOD_FRAMES=subscribe,submit");
  }

  @Test
  void badCommandLinesAreNamed() {
    assertThatThrownBy(() -> SoakOptions.parse(new String[] {"--heap", "lots"})).hasMessageContaining("256m or 1g");
    assertThatThrownBy(() -> SoakOptions.parse(new String[] {"--rate", "0", "--flooders", "0"})).hasMessageContaining("nothing");
    assertThatThrownBy(() -> SoakOptions.parse(new String[] {"--flood-frames", "fly"})).hasMessageContaining("unknown-op");
    assertThatThrownBy(() -> SoakOptions.parse(new String[] {"--seconds"})).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> SoakOptions.parse(new String[] {"--rpm", "5"})).hasMessageContaining("unknown option");
  }
}
