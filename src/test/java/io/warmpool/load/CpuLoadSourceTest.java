package io.warmpool.load;

import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the real machine: must hold on a noisy 2-core box, so it asks only for a clear rise. */
@ExtendWith(VertxExtension.class)
class CpuLoadSourceTest {

  private static final long GIVE_UP_AFTER_MS = 6_000;

  private volatile boolean spin;
  private final List<Thread> spinners = new ArrayList<>();

  @AfterEach
  void stopSpinning() throws InterruptedException {
    spin = false;
    for (Thread spinner : spinners) {
      spinner.join();
    }
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void busyThreadsRaiseTheLoad(Vertx vertx, VertxTestContext testContext) {
    CpuLoadSource source = new CpuLoadSource();
    assertThat(source.name()).isEqualTo("cpu");
    assertThat(source.loadPerJobHint()).isEqualTo(1.0 / Runtime.getRuntime().availableProcessors());

    spin = true;
    for (int i = 0; i < 2; i++) {
      Thread spinner = new Thread(this::burn, "spinner-" + i);
      spinner.setDaemon(true);
      spinner.start();
      spinners.add(spinner);
    }

    // Sample as the load timer would, slower than OSHI's ~300 ms memoization, until the load
    // shows the spinners or the time is up.
    long deadline = System.currentTimeMillis() + GIVE_UP_AFTER_MS;
    List<Double> seen = new ArrayList<>();
    vertx.setPeriodic(400, id -> vertx.executeBlocking(() -> {
        double load = source.sample();
        // right away again: the ticks are memoized, and that must not read as an idle 0
        return new double[] {load, source.sample()};
      }, false)
      .onComplete(testContext.succeeding(loads -> testContext.verify(() -> {
        seen.add(loads[0]);
        if (loads[0] > 0.2) {
          vertx.cancelTimer(id);
          assertThat(loads[1]).isEqualTo(loads[0]);
          testContext.completeNow();
        } else if (System.currentTimeMillis() > deadline) {
          vertx.cancelTimer(id);
          testContext.failNow("two spinning threads never raised the load above 0.2: " + seen);
        }
      }))));
  }

  private void burn() {
    long x = 0;
    while (spin) {
      x += System.nanoTime() % 7;
    }
    if (x == 42) {
      System.out.print("");
    }
  }
}
