package io.warmpool.load;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.warmpool.bus.Addresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@ExtendWith(VertxExtension.class)
class LoadTimerTest {

  /** Returns the scripted values in turn, then the last one forever. */
  static class ScriptedSource implements LoadSource {

    private final double[] script;
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean closed;

    ScriptedSource(double... script) {
      this.script = script;
    }

    @Override
    public String name() {
      return "scripted";
    }

    @Override
    public double sample() throws Exception {
      int call = calls.getAndIncrement();
      return script[Math.min(call, script.length - 1)];
    }

    @Override
    public double loadPerJobHint() {
      return 0.125;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void publishesClampedAveragedSamples(Vertx vertx, VertxTestContext testContext) {
    ScriptedSource source = new ScriptedSource(0.2, -1, 0.4, 1.5, Double.NaN, 2);
    LoadTimer timer = new LoadTimer(vertx, source, 20, 2, Addresses.DEFAULT.load());
    double[][] expected = {
      // raw after the clamp, average of the last two
      {0.2, 0.2},
      {0.0, 0.1},
      {0.4, 0.2},
      {1.0, 0.7},
      {1.0, 1.0}, // NaN keeps the previous clamped value
      {1.0, 1.0},
    };
    long startedAt = System.currentTimeMillis();
    List<JsonObject> samples = new ArrayList<>();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.DEFAULT.load());
    consumer.handler(message -> {
      samples.add(message.body());
      if (samples.size() != expected.length) {
        return;
      }
      consumer.unregister();
      timer.stop().onComplete(testContext.succeeding(v -> testContext.verify(() -> {
        for (int i = 0; i < expected.length; i++) {
          JsonObject sample = samples.get(i);
          assertThat(sample.getDouble("raw")).as("raw #%d", i).isCloseTo(expected[i][0], within(1e-9));
          assertThat(sample.getDouble("load")).as("load #%d", i).isCloseTo(expected[i][1], within(1e-9));
          assertThat(sample.getString("source")).isEqualTo("scripted");
          assertThat(sample.getDouble("loadPerJob")).isEqualTo(0.125);
          assertThat(sample.getLong("at")).isBetween(startedAt, System.currentTimeMillis());
        }
        assertThat(source.closed).as("stop closes the source").isTrue();
        testContext.completeNow();
      })));
    });
    consumer.completion()
      .compose(v -> timer.start())
      .onComplete(testContext.succeeding(v -> {
      }));
  }

  @Test
  void skipsTicksWhileASampleIsStillRunning(Vertx vertx, VertxTestContext testContext) {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger sampled = new AtomicInteger();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    LoadSource slow = new ScriptedSource(0.5) {
      @Override
      public double sample() throws Exception {
        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
          if (sampled.getAndIncrement() == 0) {
            // stands for a source stuck on I/O; bounded so a broken timer fails the test, not hangs it
            release.await(5, TimeUnit.SECONDS);
          }
          return 0.5;
        } finally {
          running.decrementAndGet();
        }
      }
    };
    LoadTimer timer = new LoadTimer(vertx, slow, 10, 3, Addresses.DEFAULT.load());
    AtomicInteger published = new AtomicInteger();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.DEFAULT.load(), message -> {
      if (published.incrementAndGet() == 3) {
        timer.stop().onComplete(testContext.succeeding(v -> testContext.verify(() -> {
          assertThat(mostAtOnce.get()).isEqualTo(1);
          testContext.completeNow();
        })));
      }
    });
    consumer.completion()
      .compose(v -> timer.start())
      .onComplete(testContext.succeeding(v ->
        // let some 30 ticks pass while the first sample is stuck
        vertx.setTimer(300, id -> testContext.verify(() -> {
          assertThat(sampled.get()).as("ticks during a running sample are skipped").isEqualTo(1);
          assertThat(published.get()).isZero();
          release.countDown();
        }))));
  }

  @Test
  void aFailingSampleIsNotPublishedAndTheTimerGoesOn(Vertx vertx, VertxTestContext testContext) {
    AtomicInteger sampled = new AtomicInteger();
    LoadSource flaky = new ScriptedSource(0.5) {
      @Override
      public double sample() throws Exception {
        if (sampled.getAndIncrement() < 2) {
          throw new IllegalStateException("device gone");
        }
        return 0.5;
      }
    };
    LoadTimer timer = new LoadTimer(vertx, flaky, 10, 4, Addresses.DEFAULT.load());
    vertx.eventBus().<JsonObject>consumer(Addresses.DEFAULT.load(), message -> testContext.verify(() -> {
      assertThat(sampled.get()).isGreaterThanOrEqualTo(3);
      assertThat(message.body().getDouble("load")).as("failures did not enter the average").isEqualTo(0.5);
      timer.stop().onComplete(testContext.succeedingThenComplete());
    })).completion()
      .compose(v -> timer.start())
      .onComplete(testContext.succeeding(v -> {
      }));
  }

  @Test
  void aSourceWithoutALoadYetIsNeitherSampledNorPublished(Vertx vertx, VertxTestContext testContext) {
    AtomicBoolean hasLoad = new AtomicBoolean();
    ScriptedSource source = new ScriptedSource(0.6) {
      @Override
      public boolean hasLoad() {
        return hasLoad.get();
      }
    };
    LoadTimer timer = new LoadTimer(vertx, source, 10, 1, Addresses.DEFAULT.load());
    AtomicInteger ticksWithoutLoad = new AtomicInteger();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.DEFAULT.load(), message -> testContext.verify(() -> {
      assertThat(hasLoad.get()).as("published before the source had a load").isTrue();
      assertThat(message.body().getDouble("load")).isEqualTo(0.6);
      timer.stop().onComplete(testContext.succeedingThenComplete());
    }));
    consumer.completion()
      .compose(v -> timer.start())
      .onComplete(testContext.succeeding(v -> vertx.setPeriodic(10, id -> testContext.verify(() -> {
        // some ticks of the timer go by while the source has no load: nothing may be sampled
        if (ticksWithoutLoad.incrementAndGet() == 10) {
          vertx.cancelTimer(id);
          assertThat(source.calls.get()).as("samples taken before the source had a load").isZero();
          hasLoad.set(true);
        }
      }))));
  }

  @Test
  void startsOnceAndStopsIdempotently(Vertx vertx, VertxTestContext testContext) {
    ScriptedSource source = new ScriptedSource(0.1);
    LoadTimer timer = new LoadTimer(vertx, source, 1000, 1, Addresses.DEFAULT.load());
    timer.start()
      .compose(v -> timer.start().transform(ar -> {
        assertThat(ar.failed()).as("second start").isTrue();
        return timer.stop();
      }))
      .compose(v -> timer.stop())
      .onComplete(testContext.succeeding(v -> testContext.verify(() -> {
        assertThat(source.closed).isTrue();
        assertThat(source.calls.get()).as("stopped before the first interval").isZero();
        testContext.completeNow();
      })));
  }

  @Test
  void stopBeforeStartClosesTheSource(Vertx vertx, VertxTestContext testContext) {
    ScriptedSource source = new ScriptedSource(0.1);
    new LoadTimer(vertx, source, 100, 1, Addresses.DEFAULT.load()).stop().onComplete(testContext.succeeding(v -> testContext.verify(() -> {
      assertThat(source.closed).isTrue();
      testContext.completeNow();
    })));
  }
}
