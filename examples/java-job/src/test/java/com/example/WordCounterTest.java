package com.example;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warmpool.child.JobHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job on its own, in this JVM: no worker, no child process. */
class WordCounterTest {

  private JobHarness harness;

  @BeforeEach
  void prewarm() throws Exception {
    harness = JobHarness.prewarm(new WordCounter(),
      new JsonObject().put("stopWords", new JsonArray().add("the").add("a").add("of")));
  }

  @Test
  void countsWordsLeavingOutStopWords() throws Exception {
    JobHarness.Run run = harness.run(new JsonObject().put("text", "The cat of the house\na cat, a dog").put("top", 1));

    JsonObject result = (JsonObject) run.result();
    assertEquals(4, result.getInteger("words"));
    assertEquals(new JsonObject().put("word", "cat").put("count", 2), result.getJsonArray("top").getJsonObject(0));
  }

  @Test
  void streamsOneOutputPerLine() throws Exception {
    JobHarness.Run run = harness.run(new JsonObject().put("text", "one two\nthree\nfour five six"));

    assertEquals(3, run.outputs().size());
    assertEquals(new JsonObject().put("line", 3).put("words", 6), run.outputs().get(2));
  }

  @Test
  void prewarmLogsTheTableItBuilt() throws Exception {
    // the prewarm record is the process's, not a job's: a job's own records are kept per run
    JobHarness.Run run = harness.run(new JsonObject().put("text", "x"));

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
    JobHarness.Run run = harness.start(new JsonObject().put("text", "a\n".repeat(200_000)));
    run.cancel();
    run.await(java.time.Duration.ofSeconds(10));

    JsonObject result = (JsonObject) run.result();
    assertTrue(result.getBoolean("cancelled"), "the result says the job was cancelled: " + result);
  }
}
