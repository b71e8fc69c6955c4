package io.warmpool.child;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A Java job tested without a worker, as a user's own unit test would. */
class JobHarnessTest {

  /** {@code json("{'a': 1}")}: JSON with single quotes, for readable payloads. */
  private static JsonObject json(String text) {
    return JsonParser.parseString(text.replace('\'', '"')).getAsJsonObject();
  }

  @Test
  void aJobsOutputsAndResultAreKeptInOrder() throws Exception {
    Entrypoint counting = (context, payload) -> {
      int count = payload.get("count").getAsInt();
      for (int i = 0; i < count; i++) {
        JsonObject output = new JsonObject();
        output.addProperty("i", i);
        context.output(output);
      }
      return json("{'count': " + count + "}");
    };

    JobHarness.Run run = JobHarness.prewarm(counting, null).run(json("{'count': 3}"));

    assertThat(run.outputs()).containsExactly(json("{'i': 0}"), json("{'i': 1}"), json("{'i': 2}"));
    assertThat(run.result()).isEqualTo(json("{'count': 3}"));
    assertThat(run.error()).isNull();
  }

  @Test
  void prewarmGetsItsOptions() throws Exception {
    Entrypoint echoingOptions = new Entrypoint() {
      private JsonObject options;

      @Override
      public void prewarm(JsonObject options) {
        this.options = options;
      }

      @Override
      public Object run(JobContext context, JsonObject payload) {
        return options;
      }
    };

    JobHarness.Run run = JobHarness.prewarm(echoingOptions, json("{'model': 'tiny'}")).run(new JsonObject());

    assertThat(run.result()).isEqualTo(json("{'model': 'tiny'}"));
  }

  @Test
  void noOptionsArePrewarmedAsAnEmptyObject() throws Exception {
    JsonObject[] seen = new JsonObject[1];
    Entrypoint entrypoint = new Entrypoint() {
      @Override
      public void prewarm(JsonObject options) {
        seen[0] = options;
      }

      @Override
      public Object run(JobContext context, JsonObject payload) {
        return null;
      }
    };

    JobHarness.prewarm(entrypoint, null);

    assertThat(seen[0]).isEqualTo(new JsonObject());
  }

  @Test
  void plainJavaValuesAreConvertedAsTheRuntimeConvertsThem() throws Exception {
    JobHarness harness = JobHarness.prewarm((context, payload) -> {
      context.output("text");
      context.output(2.5);
      context.output(true);
      context.output(null);
      return payload.get("value").getAsLong();
    }, null);

    JobHarness.Run run = harness.run(json("{'value': 7}"));

    assertThat(run.outputs()).containsExactly(new JsonPrimitive("text"), new JsonPrimitive(2.5), new JsonPrimitive(true),
      JsonNull.INSTANCE);
    assertThat(run.result()).isEqualTo(new JsonPrimitive(7));
  }

  @Test
  void theJobGetsACopyOfThePayload() throws Exception {
    JsonObject payload = json("{'list': [1]}");
    JobHarness harness = JobHarness.prewarm((context, p) -> {
      p.getAsJsonArray("list").add(2);
      return p;
    }, null);

    harness.run(payload);

    assertThat(payload).isEqualTo(json("{'list': [1]}"));
  }

  @Test
  void anExceptionIsTheJobsError() throws Exception {
    JobHarness.Run run = JobHarness.prewarm((context, payload) -> {
      throw new IllegalStateException("boom");
    }, null).run(new JsonObject());

    assertThat(run.error()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThatThrownBy(run::result).isInstanceOf(IllegalStateException.class).hasMessageContaining("boom");
  }

  @Test
  void theJobsLogRecordsAreKept() throws Exception {
    Logger log = Logger.getLogger(JobHarnessTest.class.getName());
    JobHarness.Run run = JobHarness.prewarm((context, payload) -> {
      log.info(payload.get("message").getAsString());
      return null;
    }, null).run(json("{'message': 'hello from the job'}"));

    assertThat(run.logs()).extracting(LogRecord::getMessage).containsExactly("hello from the job");
  }

  @Test
  void aCancelReachesTheJob(@TempDir Path dir) throws Exception {
    Path marker = dir.resolve("cancelled");
    JobHarness harness = JobHarness.prewarm((context, payload) -> {
      CountDownLatch cancelled = new CountDownLatch(1);
      context.onCancel(cancelled::countDown);
      cancelled.await();
      Files.createFile(marker);
      return context.isCancelled();
    }, null);
    JobHarness.Run run = harness.start(new JsonObject());

    run.cancel();

    run.await(Duration.ofSeconds(10));
    assertThat(run.error()).isNull();
    assertThat(run.result()).isEqualTo(new JsonPrimitive(true));
    assertThat(Files.exists(marker)).isTrue();
  }

  @Test
  void aResultTheRuntimeCouldNotSendFailsAsItWouldInAChild() throws Exception {
    JobHarness.Run run = JobHarness.prewarm((context, payload) -> Map.of("a", 1), null).run(new JsonObject());

    assertThat(run.error()).isInstanceOf(IllegalArgumentException.class)
      .hasMessageStartingWith("the job's result cannot be sent: not a JSON value: a java.util.")
      .hasMessageContaining("use a com.google.gson.JsonElement");
  }

  @Test
  void anOutputTheRuntimeCouldNotSendIsRefusedToTheJob() throws Exception {
    JobHarness.Run run = JobHarness.prewarm((context, payload) -> {
      JsonArray big = new JsonArray();
      big.add("x".repeat(Wire.MAX_FRAME_BYTES));
      try {
        context.output(big);
        return "sent";
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
    }, null).run(new JsonObject());

    assertThat(run.result().getAsString()).contains("exceeds the frame limit");
    assertThat(run.outputs()).isEmpty();
  }

  @Test
  void anOutputAfterTheJobEndedIsRefused() throws Exception {
    JobContext[] kept = new JobContext[1];
    JobHarness.Run run = JobHarness.prewarm((context, payload) -> {
      kept[0] = context;
      return null;
    }, null).run(new JsonObject());

    assertThat(run.result()).isEqualTo(JsonNull.INSTANCE);
    assertThatThrownBy(() -> kept[0].output("late")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeCallsTheEntrypointsClose() throws Exception {
    boolean[] closed = new boolean[1];
    JobHarness harness = JobHarness.prewarm(new Entrypoint() {
      @Override
      public JsonElement run(JobContext context, JsonObject payload) {
        return null;
      }

      @Override
      public void close() {
        closed[0] = true;
      }
    }, null);

    harness.close();

    assertThat(closed[0]).isTrue();
  }
}
