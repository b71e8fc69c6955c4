package io.warmpool.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The codec of the child protocol, both directions, against the wire format of docs/protocol.md. */
class ProtocolCodecTest {

  // ---- every message encodes and decodes to itself -----------------------------------------

  @Property(tries = 500)
  void everyWorkerMessageDecodesToItself(@ForAll("workerMessages") WorkerMessage message) throws Exception {
    byte[] frame = ProtocolCodec.encode(message);

    assertThat(frame[frame.length - 1]).isEqualTo((byte) '\n');
    assertThat(ProtocolCodec.decodeWorkerMessage(Buffer.buffer(frame))).contains(message);
    assertThat(ProtocolCodec.decodeWorkerMessage(new String(frame, StandardCharsets.UTF_8))).contains(message);
  }

  @Property(tries = 500)
  void everyChildMessageDecodesToItself(@ForAll("childMessages") ChildMessage message) throws Exception {
    byte[] frame = ProtocolCodec.encode(message);

    assertThat(frame[frame.length - 1]).isEqualTo((byte) '\n');
    String line = new String(frame, StandardCharsets.UTF_8);
    assertThat(line.indexOf('\n')).as("one line").isEqualTo(line.length() - 1);
    assertThat(ProtocolCodec.decodeChildMessage(Buffer.buffer(frame))).contains(message);
    assertThat(ProtocolCodec.decodeChildMessage(new String(frame, StandardCharsets.UTF_8))).contains(message);
  }

  @Example
  void theSamplesCoverEveryMessageType() {
    assertThat(ProtocolSamples.ALL.stream().<Class<?>>map(Object::getClass).distinct().toList())
      .containsExactlyInAnyOrderElementsOf(ProtocolSamples.messageClasses());
  }

  // ---- the wire format stays what the Python children speak ---------------------------------

  @Example
  void framesAreTheOnesTheWorkerAlwaysSent() {
    assertThat(text(new WorkerMessage.Initialize("com.example.Main", new JsonObject())))
      .isEqualTo("{\"type\":\"initialize\",\"entrypoint\":\"com.example.Main\",\"options\":{}}\n");
    assertThat(text(new WorkerMessage.Start("j-1", new JsonObject().put("op", "echo"))))
      .isEqualTo("{\"type\":\"start\",\"jobId\":\"j-1\",\"payload\":{\"op\":\"echo\"}}\n");
    assertThat(text(new WorkerMessage.Ping(123456789012L))).isEqualTo("{\"type\":\"ping\",\"seq\":123456789012}\n");
    assertThat(text(new WorkerMessage.Shutdown("recycled"))).isEqualTo("{\"type\":\"shutdown\",\"reason\":\"recycled\"}\n");
  }

  @Example
  void framesAreTheOnesTheJavaChildAlwaysSent() {
    assertThat(text(new ChildMessage.Hello("t", 42, "java 17"))).isEqualTo("{\"type\":\"hello\",\"token\":\"t\",\"pid\":42,\"runtime\":\"java 17\"}\n");
    assertThat(text(new ChildMessage.Ready())).isEqualTo("{\"type\":\"ready\"}\n");
    assertThat(text(new ChildMessage.Started(42))).isEqualTo("{\"type\":\"started\",\"jobId\":42}\n");
    assertThat(text(new ChildMessage.Done("j", null))).isEqualTo("{\"type\":\"done\",\"jobId\":\"j\",\"result\":null}\n");
    assertThat(text(new ChildMessage.Output("j", List.of(1, "a")))).isEqualTo("{\"type\":\"output\",\"jobId\":\"j\",\"data\":[1,\"a\"]}\n");
  }

  @Example
  void framesOfThePythonChildrenDecode() throws Exception {
    // json.dumps with its default separators, as chaos_child.py writes them
    assertThat(child("{\"type\": \"hello\", \"token\": \"abc\", \"pid\": 4242, \"runtime\": \"python 3.11.4\"}"))
      .contains(new ChildMessage.Hello("abc", 4242, "python 3.11.4"));
    assertThat(child("{\"type\": \"pong\", \"seq\": 123456789012}")).contains(new ChildMessage.Pong(123456789012L));
    assertThat(child("{\"type\":\"failed\",\"jobId\":\"j\",\"error\":\"ValueError: unknown op 'x'\"}"))
      .contains(new ChildMessage.Failed("j", "ValueError: unknown op 'x'"));
    assertThat(child("{\"type\": \"done\", \"jobId\": \"j\", \"result\": {\"value\": null}}"))
      .contains(new ChildMessage.Done("j", new JsonObject().putNull("value")));
    assertThat(child("{\"type\": \"exiting\", \"reason\": \"\"}")).contains(new ChildMessage.Exiting(""));
  }

  @Example
  void aJobIdKeepsItsJsonType() throws Exception {
    assertThat(worker("{\"type\":\"start\",\"jobId\":42,\"payload\":{}}")).contains(new WorkerMessage.Start(42, new JsonObject()));
    assertThat(child("{\"type\":\"started\",\"jobId\":\"42\"}")).contains(new ChildMessage.Started("42"));
    assertThat(new ChildMessage.Started(42)).isNotEqualTo(new ChildMessage.Started("42"));
  }

  @Example
  void fieldsTheProtocolDoesNotKnowAreIgnored() throws Exception {
    assertThat(child("{\"type\":\"ready\",\"warmedUpIn\":12}")).contains(new ChildMessage.Ready());
    assertThat(worker("{\"type\":\"ping\",\"seq\":1,\"sentAt\":\"now\"}")).contains(new WorkerMessage.Ping(1));
  }

  @Example
  void cancelAndLogFramesAreTheOnesEveryRuntimeSpeaks() throws Exception {
    assertThat(text(new WorkerMessage.Cancel("j-1", 3000))).isEqualTo("{\"type\":\"cancel\",\"jobId\":\"j-1\",\"graceMs\":3000}\n");
    assertThat(text(new ChildMessage.Log("warn", "slow", new JsonObject().put("ms", 12), "j-1")))
      .isEqualTo("{\"type\":\"log\",\"level\":\"warn\",\"message\":\"slow\",\"fields\":{\"ms\":12},\"jobId\":\"j-1\"}\n");
    // a record made outside a job carries no jobId at all, not a null one
    assertThat(text(new ChildMessage.Log("info", "warm", new JsonObject(), null)))
      .isEqualTo("{\"type\":\"log\",\"level\":\"info\",\"message\":\"warm\",\"fields\":{}}\n");
    assertThat(child("{\"type\": \"log\", \"level\": \"debug\", \"message\": \"m\", \"fields\": {}, \"jobId\": 7}"))
      .contains(new ChildMessage.Log("debug", "m", new JsonObject(), 7));
  }

  @Example
  void aLogWithALevelOutsideTheFourOrANullJobIdIsAProtocolError() {
    assertThatThrownBy(() -> child("{\"type\":\"log\",\"level\":\"warning\",\"message\":\"m\",\"fields\":{}}"))
      .isInstanceOf(ProtocolException.class)
      .hasMessage("'log' message: field 'level' must be one of [debug, info, warn, error], got 'warning'");
    assertThatThrownBy(() -> child("{\"type\":\"log\",\"level\":\"info\",\"message\":\"m\",\"fields\":{},\"jobId\":null}"))
      .isInstanceOf(ProtocolException.class).hasMessage("'log' message: field 'jobId' must be a string or a number, got null");
    assertThatThrownBy(() -> child("{\"type\":\"log\",\"level\":\"info\",\"message\":\"m\"}"))
      .isInstanceOf(ProtocolException.class).hasMessage("'log' message without its field 'fields'");
    assertThatThrownBy(() -> worker("{\"type\":\"cancel\",\"jobId\":\"j\",\"graceMs\":\"3s\"}"))
      .isInstanceOf(ProtocolException.class).hasMessage("'cancel' message: field 'graceMs' must be an integer (64 bits at most), got a string");
  }

  // ---- the rule for what a reader does not know ----------------------------------------------

  @Example
  void aMessageOfAnUnknownTypeDecodesToNothingAtBothEnds() throws Exception {
    assertThat(worker("{\"type\":\"suspend\",\"jobId\":\"j\"}")).isEmpty();
    assertThat(child("{\"type\":\"progress\",\"jobId\":\"j\",\"percent\":50}")).isEmpty();
    // a child message is unknown to the child's reader, and the other way round
    assertThat(worker("{\"type\":\"pong\",\"seq\":1}")).isEmpty();
    assertThat(child("{\"type\":\"ping\",\"seq\":1}")).isEmpty();
  }

  @Example
  void aKnownMessageWithAFieldMissingIsAProtocolError() {
    assertThatThrownBy(() -> worker("{\"type\":\"start\",\"jobId\":\"j\"}"))
      .isInstanceOf(ProtocolException.class).hasMessage("'start' message without its field 'payload'");
    assertThatThrownBy(() -> child("{\"type\":\"done\",\"jobId\":\"j\"}"))
      .isInstanceOf(ProtocolException.class).hasMessage("'done' message without its field 'result'");
    assertThatThrownBy(() -> child("{\"type\":\"pong\"}"))
      .isInstanceOf(ProtocolException.class).hasMessage("'pong' message without its field 'seq'");
  }

  @Example
  void aKnownMessageWithAFieldOfAnotherTypeIsAProtocolError() {
    assertThatThrownBy(() -> worker("{\"type\":\"start\",\"jobId\":\"j\",\"payload\":[1]}"))
      .isInstanceOf(ProtocolException.class).hasMessage("'start' message: field 'payload' must be a JSON object, got an array");
    assertThatThrownBy(() -> child("{\"type\":\"started\",\"jobId\":null}"))
      .isInstanceOf(ProtocolException.class).hasMessage("'started' message: field 'jobId' must be a string or a number, got null");
    assertThatThrownBy(() -> child("{\"type\":\"pong\",\"seq\":1.5}"))
      .isInstanceOf(ProtocolException.class).hasMessage("'pong' message: field 'seq' must be an integer (64 bits at most), got the number 1.5");
    assertThatThrownBy(() -> child("{\"type\":\"hello\",\"token\":7,\"pid\":1,\"runtime\":\"x\"}"))
      .isInstanceOf(ProtocolException.class).hasMessage("'hello' message: field 'token' must be a string, got the number 7");
  }

  @Example
  void aFrameThatIsNotAJsonObjectWithAStringTypeIsAProtocolError() {
    for (String frame : List.of("null", "[1]", "42", "\"ready\"", "", " ", "{", "{\"type\":\"ready\"} x", "not json")) {
      assertThatThrownBy(() -> child(frame)).as(frame).isInstanceOf(ProtocolException.class)
        .hasMessageStartingWith("frame is not a JSON object");
      assertThatThrownBy(() -> worker(frame)).as(frame).isInstanceOf(ProtocolException.class)
        .hasMessageStartingWith("frame is not a JSON object");
    }
    for (String frame : List.of("{}", "{\"type\":7}", "{\"type\":null}", "{\"type\":[\"ready\"]}")) {
      assertThatThrownBy(() -> child(frame)).as(frame).isInstanceOf(ProtocolException.class)
        .hasMessageStartingWith("message without a string 'type'");
    }
  }

  @Example
  void aFrameOverTheLimitIsAProtocolError() {
    String data = "x".repeat(ProtocolCodec.MAX_FRAME_BYTES);
    String frame = "{\"type\":\"output\",\"jobId\":\"j\",\"data\":\"" + data + "\"}";

    assertThatThrownBy(() -> child(frame)).isInstanceOf(ProtocolException.class).hasMessageContaining("over the limit");
    assertThatThrownBy(() -> ProtocolCodec.decodeChildMessage(frame)).isInstanceOf(ProtocolException.class)
      .hasMessageContaining("over the limit");
  }

  @Example
  void aFrameOfExactlyTheLimitIsRead() throws Exception {
    String prefix = "{\"type\":\"output\",\"jobId\":\"j\",\"data\":\"";
    String data = "é".repeat((ProtocolCodec.MAX_FRAME_BYTES - prefix.length() - 2) / 2);
    String frame = prefix + data + "\"}";
    assertThat(frame.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ProtocolCodec.MAX_FRAME_BYTES);

    assertThat(child(frame)).contains(new ChildMessage.Output("j", data));
    assertThat(ProtocolCodec.decodeChildMessage(frame)).contains(new ChildMessage.Output("j", data));
  }

  @Example
  void encodingWithinTheLimitRefusesWhatWouldNotBeRead() {
    ChildMessage tooLarge = new ChildMessage.Output("j", "x".repeat(ProtocolCodec.MAX_FRAME_BYTES));

    assertThatThrownBy(() -> ProtocolCodec.encodeWithinLimit(tooLarge)).isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("exceeds the frame limit of " + ProtocolCodec.MAX_FRAME_BYTES);
    assertThatThrownBy(() -> ProtocolCodec.encode(new ChildMessage.Done("j", new Object())))
      .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a JSON value");
  }

  // ---- helpers and generators ----------------------------------------------------------------

  private static String text(Message message) {
    return new String(ProtocolCodec.encode(message), StandardCharsets.UTF_8);
  }

  private static Optional<ChildMessage> child(String frame) throws ProtocolException {
    return ProtocolCodec.decodeChildMessage(Buffer.buffer(frame));
  }

  private static Optional<WorkerMessage> worker(String frame) throws ProtocolException {
    return ProtocolCodec.decodeWorkerMessage(Buffer.buffer(frame));
  }

  @Provide
  Arbitrary<WorkerMessage> workerMessages() {
    return Arbitraries.<WorkerMessage>oneOf(
      Combinators.combine(texts(), objects()).as(WorkerMessage.Initialize::new),
      Combinators.combine(jobIds(), objects()).as(WorkerMessage.Start::new),
      Arbitraries.longs().map(WorkerMessage.Ping::new),
      texts().map(WorkerMessage.Shutdown::new),
      Combinators.combine(jobIds(), Arbitraries.longs()).as(WorkerMessage.Cancel::new));
  }

  @Provide
  Arbitrary<ChildMessage> childMessages() {
    return Arbitraries.<ChildMessage>oneOf(
      Combinators.combine(texts(), Arbitraries.longs(), texts()).as(ChildMessage.Hello::new),
      Arbitraries.just(new ChildMessage.Ready()),
      texts().map(ChildMessage.InitFailed::new),
      jobIds().map(ChildMessage.Started::new),
      Combinators.combine(jobIds(), values()).as(ChildMessage.Output::new),
      Combinators.combine(jobIds(), values()).as(ChildMessage.Done::new),
      Combinators.combine(jobIds(), texts()).as(ChildMessage.Failed::new),
      Arbitraries.longs().map(ChildMessage.Pong::new),
      texts().map(ChildMessage.Exiting::new),
      Combinators.combine(Arbitraries.of(ChildMessage.Log.LEVELS), texts(), objects(),
        Arbitraries.oneOf(jobIds(), Arbitraries.just(null))).as(ChildMessage.Log::new));
  }

  /** Text with what JSON must escape, multi-byte UTF-8 and a surrogate pair. */
  private static Arbitrary<String> texts() {
    return Arbitraries.strings().withCharRange('a', 'z').withChars('"', '\\', '\n', '\r', '\t', '\u0000', 'é', '中', ' ')
      .ofMaxLength(24).map(s -> s.length() % 5 == 4 ? s + "😀" : s);
  }

  /** Job ids as decoded: strings, ints, and longs beyond an int. */
  private static Arbitrary<Object> jobIds() {
    return Arbitraries.<Object>oneOf(texts(), Arbitraries.integers(),
      Arbitraries.longs().filter(l -> l > Integer.MAX_VALUE || l < Integer.MIN_VALUE));
  }

  /** JSON values in the Java types decoding gives them. */
  private static Arbitrary<Object> values() {
    Arbitrary<Object> scalars = Arbitraries.<Object>oneOf(texts(), Arbitraries.integers(), Arbitraries.just(null),
      Arbitraries.of(true, false), Arbitraries.doubles().between(-1e9, 1e9).ofScale(3).map(d -> d.doubleValue() + 0.5));
    return Arbitraries.<Object>oneOf(scalars, objects(), scalars.list().ofMaxSize(4).map(JsonArray::new));
  }

  private static Arbitrary<JsonObject> objects() {
    Arbitrary<Object> scalars = Arbitraries.<Object>oneOf(texts(), Arbitraries.integers(), Arbitraries.just(null), Arbitraries.of(true, false));
    return Arbitraries.maps(texts(), scalars).ofMaxSize(4).map(map -> new JsonObject(new java.util.LinkedHashMap<>(map)));
  }
}
