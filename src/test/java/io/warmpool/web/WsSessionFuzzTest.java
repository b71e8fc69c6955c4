package io.warmpool.web;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.warmpool.WsClient;
import io.warmpool.fuzz.FrameFuzz;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.warmpool.web.WebFixture.await;
import static io.warmpool.web.WebFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes a real WebSocket session: random, mutated, binary and over-size frames go to one
 * connection of a real worker, one at a time. Each gets exactly one answer, an {@code error}
 * frame with a defined code or the op's normal reply, and the connection stays open. A fixed
 * seed and 200 tries keep it to seconds.
 */
class WsSessionFuzzTest {

  private static final int MAX_FRAME_BYTES = 4096;
  /** What answers a frame; {@code state} only with a {@code ref} (the reply to subscribe), not the pushed ones. */
  private static final Set<String> ANSWER_TYPES = Set.of("error", "accepted", "rejected", "watching", "unsubscribed");

  private Vertx vertx;
  private WebFixture worker;
  private WsClient client;
  private final List<String> acceptedJobs = new CopyOnWriteArrayList<>();
  private int framesSent;

  record Input(Kind kind, String text) {
    enum Kind { TEXT, BINARY }

    @Override
    public String toString() {
      return kind + " " + (text.length() <= 200 ? text : text.substring(0, 200) + "… (" + text.length() + " chars)");
    }
  }

  @BeforeProperty
  void startWorker() throws Exception {
    vertx = Vertx.vertx();
    worker = new WebFixture(vertx, new JsonObject()
      .put("web", new JsonObject().put("maxFrameBytes", MAX_FRAME_BYTES))
      // one reused process serves every job a fuzzed submit starts
      .put("pool", new JsonObject().put("maxIdle", 1).put("maxProcesses", 3).put("maxJobsPerProcess", 1000))
      .put("job", new JsonObject().put("timeoutMs", 5000)));
    client = worker.client();
  }

  @AfterProperty
  void stopWorker() throws Exception {
    try {
      if (client != null) {
        // the session still serves a plain request after everything it was sent
        client.send(new JsonObject().put("op", "watch").put("ref", "last-probe").put("jobId", "no-such-job"));
        assertThat(client.reply("last-probe").getString("code")).isEqualTo("not-found");
        assertThat(answers()).as("answers to %d frames and the probe", framesSent).hasSize(framesSent + 1);
        assertThat(client.closed).as("connection closed by the worker").isFalse();
        assertThat(worker.get("/health", null).status()).isEqualTo(200);
      }
    } finally {
      if (worker != null) {
        worker.close();
      }
      await(vertx.close());
    }
  }

  @Property(tries = 200, seed = "5050", shrinking = ShrinkingMode.OFF)
  void everyFrameGetsOneDefinedAnswerAndTheConnectionStaysOpen(@ForAll("inputs") Input input) throws Exception {
    int expected = answers().size() + 1;
    framesSent++;
    if (input.kind() == Input.Kind.BINARY) {
      await(client.ws.writeBinaryMessage(Buffer.buffer(input.text())));
    } else {
      client.sendText(input.text());
    }
    waitFor("an answer to " + input, () -> answers().size() >= expected || cancelledByIt(input));

    List<JsonObject> answers = answers();
    assertThat(answers).as("answers after %s", input).hasSizeLessThanOrEqualTo(expected);
    if (answers.size() == expected) {
      JsonObject answer = answers.get(expected - 1);
      Statistics.label("answer").collect(answer.getString("type") + " " + answer.getString("code", answer.getString("reason", "")));
      if ("error".equals(answer.getString("type"))) {
        assertThat(answer.getString("code")).as("code of %s", answer).isIn(ClientFrameFuzzTest.DEFINED_CODES);
        assertThat(answer.getString("message")).isNotBlank();
      }
      if ("accepted".equals(answer.getString("type"))) {
        acceptedJobs.add(answer.getString("jobId"));
      }
    } else {
      // a cancel of a job this client submitted is answered by the job's cancelled event
      Statistics.label("answer").collect("cancelled event");
      framesSent--;
    }
    assertThat(client.closed).as("connection closed after %s", input).isFalse();
  }

  private boolean cancelledByIt(Input input) {
    if (input.kind() != Input.Kind.TEXT) {
      return false;
    }
    try {
      JsonObject frame = new JsonObject(input.text());
      String jobId = frame.getValue("jobId") instanceof String id ? id : null;
      return "cancel".equals(frame.getValue("op")) && acceptedJobs.contains(jobId)
        && client.jobFrames(jobId).stream().anyMatch(f -> "cancelled".equals(f.getString("event")));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private List<JsonObject> answers() {
    return client.frames.stream()
      .filter(f -> ANSWER_TYPES.contains(f.getString("type")) || ("state".equals(f.getString("type")) && f.containsKey("ref")))
      .toList();
  }

  @Provide
  Arbitrary<Input> inputs() {
    Arbitrary<String> texts = Arbitraries.oneOf(FrameFuzz.anyText(), FrameFuzz.jsonish(),
      FrameFuzz.mutationsOf(ClientFrameFuzzTest.validFrames()), ClientFrameFuzzTest.validFrames().map(JsonObject::encode));
    Arbitrary<String> oversize = Arbitraries.strings().ascii().ofMinLength(MAX_FRAME_BYTES + 1).ofMaxLength(4 * MAX_FRAME_BYTES)
      .map(text -> "{\"op\":\"submit\",\"ref\":\"big\",\"payload\":{\"value\":\"" + text + "\"}}");
    return Arbitraries.frequencyOf(
      Tuple.of(16, texts.map(text -> new Input(Input.Kind.TEXT, text))),
      Tuple.of(1, FrameFuzz.anyText().map(text -> new Input(Input.Kind.BINARY, text))),
      Tuple.of(1, oversize.map(text -> new Input(Input.Kind.TEXT, text))));
  }
}
