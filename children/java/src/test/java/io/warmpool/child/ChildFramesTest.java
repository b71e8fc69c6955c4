package io.warmpool.child;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The child's frames, byte for byte: what the worker reads (docs/protocol.md, "child → worker"). */
class ChildFramesTest {

  private static final JsonPrimitive ID = new JsonPrimitive("j-1");

  /** The frame as text, with double quotes shown as single ones for readable expectations. */
  private static String text(byte[] frame) {
    String line = new String(frame, StandardCharsets.UTF_8);
    assertThat(line).endsWith("\n");
    return line.substring(0, line.length() - 1).replace('"', '\'');
  }

  /** A job id as the child receives it: parsed from the worker's frame, its text kept. */
  private static JsonPrimitive receivedId(String json) throws ProtocolViolation {
    return ((WorkerFrame.Start) WorkerFrame.decode("{\"type\":\"start\",\"jobId\":" + json + ",\"payload\":{}}")
      .orElseThrow()).jobId();
  }

  @Test
  void everyMessage() {
    JsonObject fields = new JsonObject();
    fields.addProperty("logger", "com.example.Job");

    assertThat(text(ChildFrames.hello("t0k", 4242, "java 17"))).isEqualTo("{'type':'hello','token':'t0k','pid':4242,'runtime':'java 17'}");
    assertThat(text(ChildFrames.ready())).isEqualTo("{'type':'ready'}");
    assertThat(text(ChildFrames.initFailed("java.lang.IllegalStateException: no model")))
      .isEqualTo("{'type':'initFailed','error':'java.lang.IllegalStateException: no model'}");
    assertThat(text(ChildFrames.started(ID))).isEqualTo("{'type':'started','jobId':'j-1'}");
    assertThat(text(ChildFrames.output(ID, "x")))
      .isEqualTo("{'type':'output','jobId':'j-1','data':'x'}");
    assertThat(text(ChildFrames.done(ID, fields))).isEqualTo("{'type':'done','jobId':'j-1','result':{'logger':'com.example.Job'}}");
    assertThat(text(ChildFrames.failed(ID, "java.lang.RuntimeException: boom")))
      .isEqualTo("{'type':'failed','jobId':'j-1','error':'java.lang.RuntimeException: boom'}");
    assertThat(text(ChildFrames.pong(7))).isEqualTo("{'type':'pong','seq':7}");
    assertThat(text(ChildFrames.exiting("shutdown"))).isEqualTo("{'type':'exiting','reason':'shutdown'}");
    assertThat(text(ChildFrames.log("warn", "careful", fields, ID)))
      .isEqualTo("{'type':'log','level':'warn','message':'careful','fields':{'logger':'com.example.Job'},'jobId':'j-1'}");
    assertThat(text(ChildFrames.log("info", "no job", new JsonObject(), null)))
      .as("a record made outside a job has no jobId").isEqualTo("{'type':'log','level':'info','message':'no job','fields':{}}");
  }

  @Test
  void aJobIdGoesBackWithTheTypeAndTheTextItCameWith() throws Exception {
    for (String id : List.of("\"j-1\"", "42", "-7", "1.50", "12345678901234567890123", "1e3", "\"42\"")) {
      assertThat(text(ChildFrames.started(receivedId(id)))).isEqualTo(("{'type':'started','jobId':" + id + "}").replace('"', '\''));
      assertThat(text(ChildFrames.done(receivedId(id), null)))
        .isEqualTo(("{'type':'done','jobId':" + id + ",'result':null}").replace('"', '\''));
    }
  }

  @Test
  void aResultOrOutputIsAJsonElementOrAPlainJavaValue() {
    JsonArray array = new JsonArray();
    array.add(1);
    array.add("two");

    assertThat(text(ChildFrames.done(ID, array))).endsWith("'result':[1,'two']}");
    assertThat(text(ChildFrames.done(ID, "text"))).endsWith("'result':'text'}");
    assertThat(text(ChildFrames.done(ID, 2.5))).endsWith("'result':2.5}");
    assertThat(text(ChildFrames.done(ID, 7L))).endsWith("'result':7}");
    assertThat(text(ChildFrames.done(ID, new BigInteger("123456789012345678901234567890")))).endsWith("'result':123456789012345678901234567890}");
    assertThat(text(ChildFrames.done(ID, new BigDecimal("0.10")))).endsWith("'result':0.10}");
    assertThat(text(ChildFrames.done(ID, new AtomicLong(3)))).endsWith("'result':3}");
    assertThat(text(ChildFrames.done(ID, false))).endsWith("'result':false}");
    assertThat(text(ChildFrames.done(ID, null))).endsWith("'result':null}");
    assertThat(text(ChildFrames.output(ID, null))).endsWith("'data':null}");
  }

  @Test
  void nullsInsideAnObjectAreSent() {
    JsonObject result = new JsonObject();
    result.add("value", null);

    assertThat(text(ChildFrames.done(ID, result))).endsWith("'result':{'value':null}}");
  }

  @Test
  void textIsEscapedAsJsonAndNotAsHtml() {
    assertThat(text(ChildFrames.output(ID, "<a href='x'>é\n\t\"</a> \u2028")))
      .endsWith("'data':'<a href='x'>é\\n\\t\\'</a> \\u2028'}");
  }

  @Test
  void anythingElseIsRefusedNamingWhatIsAllowed() {
    assertThatThrownBy(() -> ChildFrames.output(ID, new Object()))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessage("not a JSON value: a java.lang.Object; use a com.google.gson.JsonElement (JsonObject, JsonArray, "
        + "JsonPrimitive, JsonNull), a String, a Number, a Boolean or null");
    assertThatThrownBy(() -> ChildFrames.done(ID, List.of(1)))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageStartingWith("the job's result cannot be sent: not a JSON value: a java.util.");
  }

  @Test
  void aNumberThatIsNotFiniteIsRefusedNotSentAsNaN() {
    JsonObject result = new JsonObject();
    result.addProperty("ratio", Double.NaN);

    assertThatThrownBy(() -> ChildFrames.done(ID, result))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageStartingWith("the job's result cannot be sent: ")
      .hasMessageContaining("NaN");
    assertThatThrownBy(() -> ChildFrames.output(ID, Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFrameOverTheLimitIsRefusedBeforeItIsSent() {
    String head = "{\"type\":\"output\",\"jobId\":\"j-1\",\"data\":\"";
    int room = Wire.MAX_FRAME_BYTES - head.length() - "\"}".length();

    assertThat(ChildFrames.output(ID, "x".repeat(room))).hasSize(Wire.MAX_FRAME_BYTES + 1);
    assertThatThrownBy(() -> ChildFrames.output(ID, "x".repeat(room + 1)))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessage("message of 1048577 bytes exceeds the frame limit of 1048576 bytes");
    assertThatThrownBy(() -> ChildFrames.done(ID, "é".repeat(room / 2 + 1)))
      .as("bytes of UTF-8 count, not characters")
      .hasMessageStartingWith("the job's result cannot be sent: message of");
  }

  @Test
  void aLogRecordHasOneOfTheFourLevels() {
    assertThatThrownBy(() -> ChildFrames.log("fine", "m", new JsonObject(), null))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessage("level must be one of [debug, info, warn, error], got 'fine'");
  }

  @Test
  void whatTheChildSendsTheWorkerCanParse() {
    JsonObject result = JsonParser.parseString("{\"deep\":[[[{\"x\":-0.0}]]],\"u\":\"\\ud83d\\ude00\"}").getAsJsonObject();

    String line = new String(ChildFrames.done(ID, result), StandardCharsets.UTF_8);

    assertThat(JsonParser.parseString(line).getAsJsonObject().get("result")).isEqualTo(result);
  }
}
