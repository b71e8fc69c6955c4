package io.warmpool.testbed;

import io.vertx.core.json.JsonObject;
import io.warmpool.bus.HopTrace;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class HopTableTest {

  /** A started frame whose stamps are {@code first}, then each a millisecond apart more than the one before. */
  private static String started(long first) {
    JsonObject trace = new JsonObject();
    long at = first;
    for (int i = 0; i < HopTrace.STAMPS.size(); i++) {
      trace.put(HopTrace.STAMPS.get(i), at);
      at += (i + 2) * 1_000_000L;
    }
    return new JsonObject().put("type", "job").put("event", "started").put(HopTrace.FIELD, trace).encode();
  }

  @Test
  void eachHopIsTheTimeBetweenItsTwoStampsWithTheClientsOwnAtBothEnds() {
    HopTable table = new HopTable();
    long sent = 1_000_000_000L;
    // the client sent 1 ms before the first stamp; the last stamp is 1+2+…+6 = 20 ms after the first
    long received = sent + 1_000_000 + 20_000_000 + 7_000_000;

    table.record(started(sent + 1_000_000), sent, received);

    // a histogram keeps 3 significant digits
    assertThat(table.p50Ms()).containsExactly(new double[] {1, 2, 3, 4, 5, 6, 7}, within(0.01));
    assertThat(table.totalP50Ms()).isCloseTo(28, within(0.05));
    // one start is every percentile of itself
    assertThat(table.p99Ms()).containsExactly(table.p50Ms(), within(0.0));
  }

  @Test
  void aStampOutOfOrderOrMissingIsNamed() {
    HopTable table = new HopTable();

    assertThatThrownBy(() -> table.record(started(5_000_000), 6_000_000, 100_000_000))
      .hasMessageContaining("sent after read");
    assertThatThrownBy(() -> table.record("{\"type\":\"job\",\"event\":\"started\"}", 0, 1))
      .hasMessageContaining("job.traceHops");
  }
}
