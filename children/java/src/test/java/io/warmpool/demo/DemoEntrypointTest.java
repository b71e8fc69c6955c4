package io.warmpool.demo;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.warmpool.child.JobContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
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
      new Object[] {json("{'op': 3}"), "payload needs 'op' (a string)"},
      new Object[] {op("fly"), "unknown op 'fly': one of echo, sleep, burn, alloc, crash, hang, spam"},
      new Object[] {op("sleep"), "sleep needs 'ms' (an integer from 0 to 3600000)"},
      new Object[] {json("{'op': 'sleep', 'ms': -1}"), "sleep: 'ms' must be an integer from 0 to 3600000, got -1"},
      new Object[] {json("{'op': 'sleep', 'ms': 3600001}"), "sleep: 'ms' must be an integer from 0 to 3600000, got 3600001"},
      new Object[] {json("{'op': 'sleep', 'ms': '100'}"), "sleep: 'ms' must be an integer from 0 to 3600000, got \"100\""},
      new Object[] {json("{'op': 'sleep', 'ms': 2.5}"), "sleep: 'ms' must be an integer from 0 to 3600000, got 2.5"},
      new Object[] {json("{'op': 'sleep', 'ms': 1e3}"), "sleep: 'ms' must be an integer from 0 to 3600000, got 1e3"},
      new Object[] {json("{'op': 'sleep', 'ms': 99999999999999999999}"), "got 99999999999999999999"},
      new Object[] {op("burn", "ms", Long.MAX_VALUE), "burn: 'ms' must be an integer from 0 to 3600000"},
      new Object[] {op("alloc"), "alloc needs 'mb' (an integer from 0 to 65536)"},
      new Object[] {op("alloc", "mb", 65_537), "alloc: 'mb' must be an integer from 0 to 65536, got 65537"},
      new Object[] {json("{'op': 'alloc', 'mb': 1, 'ms': -5}"), "alloc: 'ms' must be an integer from 0 to 3600000, got -5"},
      new Object[] {op("crash", "code", 256), "crash: 'code' must be an integer from 0 to 255, got 256"},
      new Object[] {op("crash", "code", -1), "crash: 'code' must be an integer from 0 to 255, got -1"},
      new Object[] {op("spam"), "spam needs 'lines' (an integer from 0 to 1000000)"},
      new Object[] {op("spam", "lines", 1_000_001), "spam: 'lines' must be an integer from 0 to 1000000, got 1000001"});
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
    assertThat(demo.run(context, json("{'op': 'echo', 'value': {'a': 1}}"))).isEqualTo(json("{'value': {'a': 1}}"));
    assertThat(demo.run(context, op("echo"))).isEqualTo(json("{'value': null}"));
    assertThat(((JsonObject) demo.run(context, op("echo"))).get("value")).isEqualTo(JsonNull.INSTANCE);
  }

  @Test
  void echoSendsItsOutputsFirst() throws Exception {
    List<Object> outputs = new ArrayList<>();
    JobContext recording = new JobContext() {
      @Override
      public String jobId() {
        return "unit";
      }

      @Override
      public void output(Object data) {
        outputs.add(data);
      }
    };

    demo.run(recording, json("{'op': 'echo', 'value': 'v', 'outputs': 2}"));

    assertThat(outputs).containsExactly(json("{'i': 0, 'value': 'v'}"), json("{'i': 1, 'value': 'v'}"));
  }

  @Test
  void sleepAndBurnTakeTheirTime() throws Exception {
    long start = System.nanoTime();
    assertThat(demo.run(context, op("sleep", "ms", 50))).isEqualTo(json("{'sleptMs': 50}"));
    assertThat(demo.run(context, op("burn", "ms", 50))).isEqualTo(json("{'burnedMs': 50}"));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(100);
  }

  @Test
  void burnStopsWhenInterrupted() throws Exception {
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread job = new Thread(() -> {
      try {
        demo.run(context, op("burn", "ms", 600_000));
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
    assertThat(demo.run(context, op("alloc", "mb", 2))).isEqualTo(json("{'allocatedMb': 2, 'heldMs': 0}"));
    assertThat(demo.run(context, json("{'op': 'alloc', 'mb': 0, 'ms': 1}"))).isEqualTo(json("{'allocatedMb': 0, 'heldMs': 1}"));
  }

  @Test
  void spamOfZeroLinesCompletes() throws Exception {
    assertThat(demo.run(context, op("spam", "lines", 0))).isEqualTo(json("{'lines': 0}"));
  }

  @Test
  void prewarmRuns() throws Exception {
    demo.prewarm();
  }

  private static JsonObject op(String name) {
    JsonObject payload = new JsonObject();
    payload.addProperty("op", name);
    return payload;
  }

  private static JsonObject op(String name, String parameter, long value) {
    JsonObject payload = op(name);
    payload.addProperty(parameter, value);
    return payload;
  }

  /** {@code json("{'a': 1}")}: JSON with single quotes, for readable payloads. */
  private static JsonObject json(String text) {
    return JsonParser.parseString(text.replace('\'', '"')).getAsJsonObject();
  }
}
