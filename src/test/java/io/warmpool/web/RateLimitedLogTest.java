package io.warmpool.web;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitedLogTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final List<String> lines = new ArrayList<>();
  private final RateLimitedLog log = new RateLimitedLog(10_000, nanos::get, lines::add);

  private void advanceMs(long ms) {
    nanos.addAndGet(ms * 1_000_000);
  }

  @Test
  void oneLinePerIntervalSayingHowManyWereLeftOut() {
    for (int i = 0; i < 1000; i++) {
      int n = i;
      log.log(() -> "refused " + n);
    }
    assertThat(lines).containsExactly("refused 0");

    advanceMs(9_999);
    log.log(() -> "refused late");
    assertThat(lines).hasSize(1);

    advanceMs(1);
    log.log(() -> "refused again");
    assertThat(lines).containsExactly("refused 0", "refused again (and 1000 more like it since the last such line)");

    advanceMs(60_000);
    log.log(() -> "quiet since");
    assertThat(lines).last().isEqualTo("quiet since");
  }

  @Test
  void aLineLeftOutIsNeverBuilt() {
    log.log(() -> "first");
    log.log(() -> {
      throw new AssertionError("built a line that is not logged");
    });
    assertThat(lines).containsExactly("first");
  }
}
