package io.warmpool.web;

import io.vertx.core.json.JsonObject;
import io.warmpool.bus.SubmitRequest;
import io.warmpool.fuzz.FrameFuzz;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the WebSocket frame parser: whatever text a client sends, {@link ClientFrame#parse}
 * and the field readers the ops use either read it or throw a {@link FrameException} that
 * becomes an {@code error} frame with a defined code. Anything else thrown would escape the
 * session's handler.
 */
class ClientFrameFuzzTest {

  static final Set<String> DEFINED_CODES = Arrays.stream(ErrorCode.values()).map(c -> c.wireName).collect(Collectors.toSet());

  static final Set<String> KNOWN_OPS = Set.of("submit", "cancel", "watch", "subscribe", "unsubscribe");

  @Property(tries = 2000, seed = "20250105")
  void anyTextIsReadOrRefusedWithADefinedCode(@ForAll("frames") String text) {
    try {
      ClientFrame frame = ClientFrame.parse(text);
      assertThat(frame.op()).isNotNull();
      assertThat(frame.ref() == null || frame.ref().length() <= ClientFrame.MAX_REF_LENGTH).isTrue();
      readFieldsAsTheOpsDo(frame);
      Statistics.label("outcome").collect(KNOWN_OPS.contains(frame.op()) ? "op " + frame.op() : "unknown op");
    } catch (FrameException e) {
      assertDefined(e);
      Statistics.label("outcome").collect(e.code);
    }
  }

  /** What submit, cancel, watch and subscribe read of a parsed frame. */
  private static void readFieldsAsTheOpsDo(ClientFrame frame) {
    try {
      frame.requiredJobId();
    } catch (FrameException e) {
      assertDefined(e);
    }
    try {
      frame.requiredTopic();
    } catch (FrameException e) {
      assertDefined(e);
    }
    try {
      SubmitRequest request = SubmitRequest.parse(frame.body());
      // the web verticle re-encodes it for the bus: that must not throw either
      request.toJson().encode();
    } catch (IllegalArgumentException e) {
      // the session turns exactly this into bad-request
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  static void assertDefined(FrameException e) {
    assertThat(e.code).as("error code of %s", e.getMessage()).isNotNull();
    JsonObject frame = new JsonObject(e.toFrame().encode());
    assertThat(frame.getString("type")).isEqualTo("error");
    assertThat(frame.getString("code")).isIn(DEFINED_CODES);
    assertThat(frame.getString("message")).isNotBlank();
  }

  @Provide
  Arbitrary<String> frames() {
    return Arbitraries.oneOf(FrameFuzz.anyText(), FrameFuzz.jsonish(), FrameFuzz.mutationsOf(validFrames()),
      validFrames().map(JsonObject::encode));
  }

  /** Frames a well-behaved client sends, for every op, plus an unknown op. */
  static Arbitrary<JsonObject> validFrames() {
    Arbitrary<String> refs = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12);
    Arbitrary<String> ops = Arbitraries.of("submit", "cancel", "watch", "subscribe", "unsubscribe", "fly");
    Arbitrary<JsonObject> payloads = Arbitraries.of(
      new JsonObject().put("op", "echo").put("value", "hi"),
      new JsonObject().put("op", "sleep").put("ms", 10),
      new JsonObject().put("op", "echo").put("value", new JsonObject().put("nested", true)));
    return Combinators.combine(ops, refs, payloads, Arbitraries.integers().between(1, 5000))
      .as((op, ref, payload, timeout) -> {
        JsonObject frame = new JsonObject().put("op", op).put("ref", ref);
        switch (op) {
          case "submit" -> frame.put("payload", payload).put("timeoutMs", timeout);
          case "cancel", "watch" -> frame.put("jobId", "job-" + ref);
          case "subscribe", "unsubscribe" -> frame.put("topic", "pool");
          default -> frame.put("what", ref);
        }
        return frame;
      });
  }
}
