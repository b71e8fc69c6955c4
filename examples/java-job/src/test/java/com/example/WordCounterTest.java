package com.example;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.warmpool.child.JobHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job on its own, in this JVM: no worker, no child process. */
class WordCounterTest {

  private JobHarness harness;

  /** JSON text as a Gson object. */
  private static JsonObject json(String text) {
    return JsonParser.parseString(text).getAsJsonObject();
  }

  private static JsonObject payload(String text) {
    JsonObject payload = new JsonObject();
    payload.addProperty("text", text);
    return payload;
  }

  @BeforeEach
  void prewarm() throws Exception {
    harness = JobHarness.prewarm(new WordCounter(), json("{\"stopWords\": [\"the\", \"a\", \"of\"]}"));
  }

  @Test
  void countsWordsLeavingOutStopWords() throws Exception {
    JsonObject payload = payload("The cat of the house\na cat, a dog");
    payload.addProperty("top", 1);

    JobHarness.Run run = harness.run(payload);

    JsonObject result = run.result().getAsJsonObject();
    assertEquals(4, result.get("words").getAsInt());
    assertEquals(json("{\"word\": \"cat\", \"count\": 2}"), result.getAsJsonArray("top").get(0));
  }

  @Test
  void streamsOneOutputPerLine() throws Exception {
    JobHarness.Run run = harness.run(payload("one two\nthree\nfour five six"));

    assertEquals(3, run.outputs().size());
    assertEquals(json("{\"line\": 3, \"words\": 6}"), run.outputs().get(2));
  }

  @Test
  void prewarmLogsTheTableItBuilt() throws Exception {
    // the prewarm record is the process's, not a job's: a job's own records are kept per run
    JobHarness.Run run = harness.run(payload("x"));

    assertTrue(run.logs().isEmpty(), "the job itself logs nothing");
  }

  @Test
  void aPayloadWithoutTextFailsWithAMessageTheClientCanActOn() throws Exception {
    JobHarness.Run run = harness.run(new JsonObject());

    assertInstanceOf(IllegalArgumentException.class, run.error());
    assertEquals("the payload needs a \"text\" string", run.error().getMessage());
  }

  @Test
  void aCancelledJobStopsAndSaysSo() throws Exception {
    JobHarness.Run run = harness.start(payload("a\n".repeat(200_000)));
    run.cancel();
    run.await(Duration.ofSeconds(10));

    JsonObject result = run.result().getAsJsonObject();
    assertTrue(result.get("cancelled").getAsBoolean(), "the result says the job was cancelled: " + result);
  }
}
