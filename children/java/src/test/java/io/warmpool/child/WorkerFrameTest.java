package io.warmpool.child;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The child's decoding of the worker's frames, with the rules of the worker's own codec
 * (io.warmpool.protocol.ProtocolCodec): unknown types ignored, known types with a field missing or
 * mistyped refused, the frame limit, job ids kept as they came.
 */
class WorkerFrameTest {

  /** JSON with single quotes, for readable frames. */
  private static String frame(String text) {
    return text.replace('\'', '"');
  }

  private static WorkerFrame decode(String text) throws ProtocolViolation {
    return WorkerFrame.decode(frame(text)).orElseThrow();
  }

  private static JsonObject json(String text) {
    return JsonParser.parseString(frame(text)).getAsJsonObject();
  }

  @Test
  void initialize() throws Exception {
    assertThat(decode("{'type': 'initialize', 'entrypoint': 'com.example.Job', 'options': {'model': 'tiny'}}"))
      .isEqualTo(new WorkerFrame.Initialize("com.example.Job", json("{'model': 'tiny'}")));
  }

  @Test
  void startWithAStringId() throws Exception {
    WorkerFrame.Start start = (WorkerFrame.Start) decode("{'type': 'start', 'jobId': 'j-1', 'payload': {'op': 'echo'}}");

    assertThat(start.jobId()).isEqualTo(new JsonPrimitive("j-1"));
    assertThat(start.payload()).isEqualTo(json("{'op': 'echo'}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"42", "-7", "1.50", "12345678901234567890123", "1e3"})
  void startWithANumericIdKeepsItsText(String id) throws Exception {
    WorkerFrame.Start start = (WorkerFrame.Start) decode("{'type': 'start', 'jobId': " + id + ", 'payload': {}}");

    assertThat(start.jobId().isNumber()).isTrue();
    assertThat(start.jobId().getAsString()).isEqualTo(id);
  }

  @Test
  void ping() throws Exception {
    assertThat(decode("{'type': 'ping', 'seq': 9223372036854775807}")).isEqualTo(new WorkerFrame.Ping(Long.MAX_VALUE));
  }

  @Test
  void shutdown() throws Exception {
    assertThat(decode("{'type': 'shutdown', 'reason': 'recycle'}")).isEqualTo(new WorkerFrame.Shutdown("recycle"));
  }

  @Test
  void cancelWithAStringOrANumericId() throws Exception {
    assertThat(decode("{'type': 'cancel', 'jobId': 'j', 'graceMs': 2000}"))
      .isEqualTo(new WorkerFrame.Cancel(new JsonPrimitive("j"), 2000));
    WorkerFrame.Cancel numeric = (WorkerFrame.Cancel) decode("{'type': 'cancel', 'jobId': 3, 'graceMs': 0}");
    assertThat(numeric.jobId().getAsString()).isEqualTo("3");
  }

  @Test
  void unknownFieldsAreIgnored() throws Exception {
    assertThat(decode("{'type': 'ping', 'seq': 1, 'priority': 'high', 'seqs': [1, 2]}")).isEqualTo(new WorkerFrame.Ping(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{'type': 'resize', 'cores': 4}", "{'type': 'hello'}", "{'type': 'PING', 'seq': 1}"})
  void aMessageOfAnUnknownTypeDecodesToNothing(String text) throws Exception {
    assertThat(WorkerFrame.decode(frame(text))).isEqualTo(Optional.empty());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
    "{'type': 'start', 'jobId': 'j'}                              | 'start' message without its field 'payload'",
    "{'type': 'start', 'payload': {}}                             | 'start' message without its field 'jobId'",
    "{'type': 'start', 'jobId': true, 'payload': {}}              | 'start' message: field 'jobId' must be a string or a number, got a boolean",
    "{'type': 'start', 'jobId': null, 'payload': {}}              | 'start' message: field 'jobId' must be a string or a number, got null",
    "{'type': 'start', 'jobId': ['j'], 'payload': {}}             | 'start' message: field 'jobId' must be a string or a number, got an array",
    "{'type': 'start', 'jobId': 'j', 'payload': [1]}              | 'start' message: field 'payload' must be a JSON object, got an array",
    "{'type': 'start', 'jobId': 'j', 'payload': null}             | 'start' message: field 'payload' must be a JSON object, got null",
    "{'type': 'initialize', 'entrypoint': 'E'}                    | 'initialize' message without its field 'options'",
    "{'type': 'initialize', 'entrypoint': 7, 'options': {}}       | 'initialize' message: field 'entrypoint' must be a string, got the number 7",
    "{'type': 'initialize', 'entrypoint': 'E', 'options': 'x'}    | 'initialize' message: field 'options' must be a JSON object, got a string",
    "{'type': 'ping'}                                             | 'ping' message without its field 'seq'",
    "{'type': 'ping', 'seq': '1'}                                 | 'ping' message: field 'seq' must be an integer (64 bits at most), got a string",
    "{'type': 'ping', 'seq': 1.5}                                 | 'ping' message: field 'seq' must be an integer (64 bits at most), got the number 1.5",
    "{'type': 'ping', 'seq': 1e3}                                 | 'ping' message: field 'seq' must be an integer (64 bits at most), got the number 1e3",
    "{'type': 'ping', 'seq': 9223372036854775808}                 | 'ping' message: field 'seq' must be an integer (64 bits at most), got the number 9223372036854775808",
    "{'type': 'shutdown', 'reason': {}}                           | 'shutdown' message: field 'reason' must be a string, got an object",
    "{'type': 'cancel', 'jobId': 'j'}                             | 'cancel' message without its field 'graceMs'",
    "{'type': 'cancel', 'jobId': false, 'graceMs': 1}             | 'cancel' message: field 'jobId' must be a string or a number, got a boolean",
  })
  void aKnownMessageWithAFieldMissingOrMistypedIsAViolation(String text, String message) {
    assertThatThrownBy(() -> WorkerFrame.decode(frame(text))).isInstanceOf(ProtocolViolation.class).hasMessage(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"this is not json", "[1, 2]", "null", "'a string'", "42", "", "{'type': 'ping', 'seq': 1",
    "{'type': 'ping', 'seq': 1} {}", "{'type': 'ping', 'seq': 1} x", "{type: 'ping', 'seq': 1}",
    "{\\'type\\': 'ping'}", "{'type': 'ping', 'seq': 1, /* comment */ 'x': 1}", "{'type': 'ping', 'seq': NaN}",
    "{'type': 'ping', 'seq': 01}", "{'type': 'ping', 'seq': +1}"})
  void aFrameThatIsNotExactlyOneJsonObjectIsAViolation(String text) {
    assertThatThrownBy(() -> WorkerFrame.decode(frame(text)))
      .isInstanceOf(ProtocolViolation.class)
      .hasMessageStartingWith("frame is not a JSON object");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{'seq': 1}", "{'type': 3}", "{'type': null}", "{'type': ['ping']}"})
  void aMessageWithoutAStringTypeIsAViolation(String text) {
    assertThatThrownBy(() -> WorkerFrame.decode(frame(text)))
      .isInstanceOf(ProtocolViolation.class)
      .hasMessageStartingWith("message without a string 'type'");
  }

  @Test
  void whitespaceAroundTheObjectAndATrailingNewlineAreFine() throws Exception {
    assertThat(decode(" \t{'type': 'ping', 'seq': 1}\r\n")).isEqualTo(new WorkerFrame.Ping(1));
  }

  @Test
  void aFrameAtTheLimitIsReadAndOneByteMoreIsAViolation() throws Exception {
    String head = frame("{'type': 'start', 'jobId': 'j', 'payload': {'text': '");
    String tail = frame("'}}");
    // two bytes of UTF-8 per é: the limit counts bytes, not characters
    int room = Wire.MAX_FRAME_BYTES - head.length() - tail.length();
    String atLimit = head + "é".repeat(room / 2) + "x".repeat(room % 2) + tail;
    assertThat(atLimit.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(Wire.MAX_FRAME_BYTES);

    assertThat(WorkerFrame.decode(atLimit)).isPresent();
    assertThat(WorkerFrame.decode(atLimit + "\n")).as("the newline is not counted").isPresent();
    assertThatThrownBy(() -> WorkerFrame.decode(head + "x" + atLimit.substring(head.length())))
      .isInstanceOf(ProtocolViolation.class)
      .hasMessage("frame of 1048577 bytes, over the limit of 1048576");
  }

  @Test
  void deepPayloadsAreReadAsDeepAsTheWorkerWritesThem() throws Exception {
    // the message, its payload and 998 arrays in it: 1000 levels, as many as the worker's parser allows
    String arrays = "[".repeat(Wire.MAX_NESTING - 2) + "]".repeat(Wire.MAX_NESTING - 2);
    assertThat(WorkerFrame.decode(frame("{'type': 'start', 'jobId': 'j', 'payload': {'a': " + arrays + "}}"))).isPresent();
    String deeper = "[" + arrays + "]";
    assertThatThrownBy(() -> WorkerFrame.decode(frame("{'type': 'start', 'jobId': 'j', 'payload': {'a': " + deeper + "}}")))
      .isInstanceOf(ProtocolViolation.class);
  }

  @Test
  void aViolationQuotesAReceivedValueOrFrameShortened() {
    String longNumber = "1".repeat(5000) + ".5";
    assertThatThrownBy(() -> WorkerFrame.decode(frame("{'type': 'ping', 'seq': " + longNumber + "}")))
      .isInstanceOf(ProtocolViolation.class)
      .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400).endsWith("..."));
    assertThatThrownBy(() -> WorkerFrame.decode("x".repeat(100_000)))
      .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
  }
}
