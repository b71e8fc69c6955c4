package io.warmpool.demo;

import io.vertx.core.json.JsonObject;
import io.warmpool.child.JobContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo ops in-process: parameter checks (nothing runs on a bad payload) and the harmless ops. */
@Timeout(30)
class DemoEntrypointTest {

  private final DemoEntrypoint demo = new DemoEntrypoint();
  private final JobContext context = new JobContext() {
    @Override
    public String jobId() {
      return "unit";
    }

    @Override
    public void output(Object data) {
    }
  };

  static Stream<Object[]> badPayloads() {
    return Stream.of(
      new Object[] {new JsonObject(), "payload needs 'op' (a string)"},
      new Object[] {new JsonObject().put("op", 3), "payload needs 'op' (a string)"},
      new Object[] {op("fly"), "unknown op 'fly': one of echo, sleep, burn, alloc, crash, hang, spam"},
      new Object[] {op("sleep"), "sleep needs 'ms' (an integer from 0 to 3600000)"},
      new Object[] {op("sleep").put("ms", -1), "sleep: 'ms' must be an integer from 0 to 3600000, got -1"},
      new Object[] {op("sleep").put("ms", 3_600_001), "sleep: 'ms' must be an integer from 0 to 3600000, got 3600001"},
      new Object[] {op("sleep").put("ms", "100"), "sleep: 'ms' must be an integer from 0 to 3600000, got \"100\""},
      new Object[] {op("sleep").put("ms", 2.5), "sleep: 'ms' must be an integer from 0 to 3600000, got 2.5"},
      new Object[] {op("sleep").put("ms", new BigInteger("99999999999999999999")), "got 99999999999999999999"},
      new Object[] {op("burn").put("ms", Long.MAX_VALUE), "burn: 'ms' must be an integer from 0 to 3600000"},
      new Object[] {op("alloc"), "alloc needs 'mb' (an integer from 0 to 65536)"},
      new Object[] {op("alloc").put("mb", 65_537), "alloc: 'mb' must be an integer from 0 to 65536, got 65537"},
      new Object[] {op("alloc").put("mb", 1).put("ms", -5), "alloc: 'ms' must be an integer from 0 to 3600000, got -5"},
      new Object[] {op("crash").put("code", 256), "crash: 'code' must be an integer from 0 to 255, got 256"},
      new Object[] {op("crash").put("code", -1), "crash: 'code' must be an integer from 0 to 255, got -1"},
      new Object[] {op("spam"), "spam needs 'lines' (an integer from 0 to 1000000)"},
      new Object[] {op("spam").put("lines", 1_000_001), "spam: 'lines' must be an integer from 0 to 1000000, got 1000001"});
  }

  @ParameterizedTest
  @MethodSource("badPayloads")
  void badPayloadIsRejectedWithAMessageNamingTheParameter(JsonObject payload, String message) {
    assertThatThrownBy(() -> demo.run(context, payload))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining(message);
  }

  @Test
  void echoWrapsTheValue() throws Exception {
    JsonObject value = new JsonObject().put("a", 1);
    assertThat(demo.run(context, op("echo").put("value", value))).isEqualTo(new JsonObject().put("value", value));
    assertThat(demo.run(context, op("echo"))).isEqualTo(new JsonObject().putNull("value"));
  }

  @Test
  void sleepAndBurnTakeTheirTime() throws Exception {
    long start = System.nanoTime();
    assertThat(demo.run(context, op("sleep").put("ms", 50))).isEqualTo(new JsonObject().put("sleptMs", 50L));
    assertThat(demo.run(context, op("burn").put("ms", 50))).isEqualTo(new JsonObject().put("burnedMs", 50L));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(100);
  }

  @Test
  void burnStopsWhenInterrupted() throws Exception {
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread job = new Thread(() -> {
      try {
        demo.run(context, op("burn").put("ms", 600_000));
        outcome.complete(null);
      } catch (Throwable t) {
        outcome.complete(t);
      }
    });
    job.start();
    job.interrupt();
    assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
  }

  @Test
  void smallAllocRunsAndFrees() throws Exception {
    assertThat(demo.run(context, op("alloc").put("mb", 2)))
      .isEqualTo(new JsonObject().put("allocatedMb", 2L).put("heldMs", 0L));
    assertThat(demo.run(context, op("alloc").put("mb", 0).put("ms", 1)))
      .isEqualTo(new JsonObject().put("allocatedMb", 0L).put("heldMs", 1L));
  }

  @Test
  void spamOfZeroLinesCompletes() throws Exception {
    assertThat(demo.run(context, op("spam").put("lines", 0))).isEqualTo(new JsonObject().put("lines", 0L));
  }

  @Test
  void prewarmRuns() throws Exception {
    demo.prewarm();
  }

  private static JsonObject op(String name) {
    return new JsonObject().put("op", name);
  }
}
