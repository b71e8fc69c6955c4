package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.warmpool.Await;
import io.warmpool.fuzz.FrameFuzz;
import io.warmpool.protocol.ChildMessage;
import io.warmpool.protocol.ProtocolCodec;
import io.warmpool.protocol.ProtocolException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.warmpool.pool.PoolFixture.await;
import static io.warmpool.pool.PoolFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the worker's reader of the child protocol ({@link ChildChannel}) over a real loopback
 * socket, the way a child's bytes reach it: random bytes, text of JSON's characters, mutated and
 * valid frames, over-size lines, all cut into random chunks. Every complete line up to the first
 * bad one is reported in order, as the message the protocol's codec reads in it, or not at all
 * when the codec ignores it (a type it does not know), or as a protocol error; on that error the
 * test closes the channel as the pool does (it kills the child). Nothing is ever thrown out of the channel's handlers, and a
 * valid frame on a new channel afterwards is read as usual.
 */
class ChildChannelFuzzTest {

  private static final byte[] NEWLINE = {'\n'};

  private Vertx vertx;
  private NetServer server;
  private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
  /** Whatever a handler threw: Vert.x hands it to the instance's exception handler. */
  private final List<Throwable> thrown = new CopyOnWriteArrayList<>();

  /** What the reader reported on one connection, in order: a message's type, or "error: …". */
  static final class Connection {
    final List<String> outcomes = new CopyOnWriteArrayList<>();
    volatile boolean closed;
  }

  /** One line of a child's output, or a last line without its newline. */
  record Segment(String kind, byte[] bytes, boolean terminated) {
    @Override
    public String toString() {
      String text = new String(bytes, StandardCharsets.UTF_8);
      return kind + ":" + (text.length() <= 120 ? text : text.substring(0, 120) + "… (" + bytes.length + " bytes)");
    }
  }

  record Input(List<Segment> segments, long chunkSeed) {
  }

  @BeforeProperty
  void listen() throws Exception {
    vertx = Vertx.vertx();
    vertx.exceptionHandler(thrown::add);
    server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
    server.connectHandler(socket -> {
      Connection connection = new Connection();
      ChildChannel channel = new ChildChannel(socket, ProtocolCodec.MAX_FRAME_BYTES);
      channel.messageHandler(message -> connection.outcomes.add(message.type()));
      channel.protocolErrorHandler(error -> {
        connection.outcomes.add("error: " + error);
        // what the pool does: the child is killed, its channel closed
        channel.close();
      });
      channel.closeHandler(v -> connection.closed = true);
      connections.add(connection);
    });
    await(server.listen());
  }

  @AfterProperty
  void close() throws Exception {
    try {
      await(server.close());
    } finally {
      await(vertx.close());
    }
  }

  @Property(tries = 300, seed = "7117", shrinking = ShrinkingMode.OFF)
  void everyLineIsAMessageOrAProtocolErrorAndNothingIsThrown(@ForAll("inputs") Input input) throws Exception {
    List<String> expected = expectedOutcomes(input.segments());
    boolean expectsError = !expected.isEmpty() && expected.get(expected.size() - 1).startsWith("error");
    Statistics.label("ends with").collect(expectsError ? "protocol error" : "all lines read");

    Connection connection;
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.actualPort())) {
      connection = connections.poll(Await.DEFAULT.toSeconds(), TimeUnit.SECONDS);
      assertThat(connection).as("the server saw the connection").isNotNull();
      writeInChunks(socket, input, expectsError);
      waitFor("outcomes " + expected + " of " + input.segments() + " and the channel closed",
        () -> connection.closed && connection.outcomes.size() >= expected.size());
    }
    // after the first protocol error the child is dead to the pool: what follows is not checked
    if (expectsError) {
      String error = connection.outcomes.get(expected.size() - 1);
      Statistics.label("protocol error").collect(error.substring(0, Math.min(error.length(), 32)));
    }
    List<String> read = connection.outcomes.subList(0, expected.size()).stream()
      .map(outcome -> outcome.startsWith("error") ? "error" : outcome).toList();
    assertThat(read).as("outcomes of %s: %s", input.segments(), connection.outcomes).containsExactlyElementsOf(expected);
    if (!expectsError) {
      assertThat(connection.outcomes).as("outcomes of %s", input.segments()).hasSize(expected.size());
    }
    assertThat(thrown).as("thrown out of the channel's handlers").isEmpty();
    aValidFrameOnANewChannelIsRead();
  }

  @Example
  void aValidJsonFrameOverTheLimitIsAProtocolError() throws Exception {
    String pad = "x".repeat(ProtocolCodec.MAX_FRAME_BYTES);
    List<String> outcomes = outcomesOf(("{\"type\":\"pong\",\"seq\":1}\n{\"type\":\"done\",\"jobId\":\"j\",\"result\":\"" + pad + "\"}\n")
      .getBytes(StandardCharsets.UTF_8));

    assertThat(outcomes).hasSizeGreaterThanOrEqualTo(2);
    assertThat(outcomes.get(0)).isEqualTo("pong");
    assertThat(outcomes.get(1)).as("a frame over %d bytes", ProtocolCodec.MAX_FRAME_BYTES).startsWith("error");
  }

  @Example
  void aMessageOfAnUnknownTypeIsIgnoredAndTheChannelGoesOn() throws Exception {
    List<String> outcomes = outcomesOf(("{\"type\":\"progress\",\"percent\":50}\n{\"type\":\"pong\",\"seq\":1}\n")
      .getBytes(StandardCharsets.UTF_8));

    assertThat(outcomes).containsExactly("pong");
  }

  @Example
  void aKnownMessageWithAMissingFieldIsAProtocolError() throws Exception {
    List<String> outcomes = outcomesOf("{\"type\":\"done\",\"jobId\":\"j\"}\n".getBytes(StandardCharsets.UTF_8));

    assertThat(outcomes).containsExactly("error: 'done' message without its field 'result'");
  }

  @Example
  void aLineThatNeverEndsIsRefusedOnceOverTheLimit() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.actualPort())) {
      Connection connection = connections.poll(Await.DEFAULT.toSeconds(), TimeUnit.SECONDS);
      byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
      try {
        // the worker must not buffer it all: it refuses the line and closes the channel
        for (int i = 0; i < 4 * ProtocolCodec.MAX_FRAME_BYTES / chunk.length && !connection.closed; i++) {
          socket.getOutputStream().write(chunk);
        }
      } catch (IOException e) {
        // closed by the worker while writing
      }
      waitFor("the channel closed", () -> connection.closed);
      assertThat(connection.outcomes).isNotEmpty();
      assertThat(connection.outcomes.get(0)).startsWith("error: bad frame");
    }
  }

  /** Found by the chaos run: a SIGKILLed child with unread input has its connection reset by the kernel. */
  @Example
  void aConnectionResetIsAClosedChannelNotAProtocolError() throws Exception {
    Connection connection;
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.actualPort())) {
      connection = connections.poll(Await.DEFAULT.toSeconds(), TimeUnit.SECONDS);
      socket.getOutputStream().write("{\"type\":\"pong\",\"seq\":1}\n".getBytes(StandardCharsets.UTF_8));
      waitFor("the pong", () -> !connection.outcomes.isEmpty());
      // a close with linger 0 sends RST: the worker reads "Connection reset"
      socket.setSoLinger(true, 0);
    }
    waitFor("the channel closed", () -> connection.closed);

    assertThat(connection.outcomes).as("a reset is the child's death, for the pool to reap, not a breach").containsExactly("pong");
    assertThat(thrown).isEmpty();
  }

  /** What the reader reports for {@code bytes} written at once, the stream then ended. */
  private List<String> outcomesOf(byte[] bytes) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.actualPort())) {
      Connection connection = connections.poll(Await.DEFAULT.toSeconds(), TimeUnit.SECONDS);
      try {
        socket.getOutputStream().write(bytes);
        socket.shutdownOutput();
      } catch (IOException e) {
        // closed by the worker on a protocol error
      }
      waitFor("the channel closed", () -> connection.closed);
      return connection.outcomes;
    }
  }

  private void aValidFrameOnANewChannelIsRead() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.actualPort())) {
      Connection connection = connections.poll(Await.DEFAULT.toSeconds(), TimeUnit.SECONDS);
      assertThat(connection).isNotNull();
      socket.getOutputStream().write("{\"type\":\"pong\",\"seq\":1}\n".getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      waitFor("the valid frame on a new channel", () -> !connection.outcomes.isEmpty());
      assertThat(connection.outcomes).containsExactly("pong");
    }
  }

  /**
   * The oracle: what the codec reads in each line, up to and including the first one it refuses.
   * The stream ends after the input, so an unterminated last line counts too.
   */
  static List<String> expectedOutcomes(List<Segment> segments) {
    List<String> expected = new ArrayList<>();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Segment segment : segments) {
      all.writeBytes(segment.bytes());
      if (segment.terminated()) {
        all.writeBytes(NEWLINE);
      }
    }
    byte[] bytes = all.toByteArray();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      Optional<String> outcome = outcomeOf(bytes, start, i - start);
      start = i + 1;
      if (outcome.isPresent()) {
        expected.add(outcome.get());
        if (outcome.get().equals("error")) {
          return expected;
        }
      }
    }
    // the child closed the channel: what it left unterminated is read as a last line (as RecordParser does at the end)
    if (start < bytes.length) {
      outcomeOf(bytes, start, bytes.length - start).ifPresent(expected::add);
    }
    return expected;
  }

  /** The type of the message in a line, "error" when the codec refuses it, empty when it ignores it. */
  private static Optional<String> outcomeOf(byte[] bytes, int offset, int length) {
    try {
      return ProtocolCodec.decodeChildMessage(Buffer.buffer(Arrays.copyOfRange(bytes, offset, offset + length)))
        .map(ChildMessage::type);
    } catch (ProtocolException e) {
      return Optional.of("error");
    }
  }

  /**
   * Writes the input in chunks of random sizes, so frames arrive split and merged as over a real
   * socket, then ends the stream as a child that exits does.
   */
  private static void writeInChunks(Socket socket, Input input, boolean expectsError) throws IOException {
    OutputStream out = socket.getOutputStream();
    Random random = new Random(input.chunkSeed());
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Segment segment : input.segments()) {
      all.writeBytes(segment.bytes());
      if (segment.terminated()) {
        all.writeBytes(NEWLINE);
      }
    }
    byte[] bytes = all.toByteArray();
    try {
      for (int at = 0; at < bytes.length; ) {
        int size = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 16 : 65536));
        out.write(bytes, at, size);
        out.flush();
        at += size;
      }
      socket.shutdownOutput();
    } catch (IOException e) {
      // the channel closes on a protocol error: the rest of what the child writes is refused
      if (!expectsError) {
        throw e;
      }
    }
  }

  // ---- inputs --------------------------------------------------------------------------

  private static final List<String> WEIRD_LINES = List.of("null", "[]", "42", "\"pong\"", "true", "{}", "{\"type\":7}",
    "{\"type\":null}", "{\"type\":[\"pong\"]}", "{\"type\":{}}", "", " ", "\r", "{\"type\":\"pong\"",
    "{\"type\":\"pong\"}{\"type\":\"pong\"}", "{\"type\":\"pong\"} x", "{\"type\":\"ready\"}\r",
    "{\"type\":\"\"}", "{\"type\":\"pong\",\"type\":3}", "\u0000", "{\"type\":\"pong\",\"seq\":1e999}");

  @Provide
  Arbitrary<Input> inputs() {
    Arbitrary<Segment> lines = Arbitraries.frequencyOf(
      Tuple.of(6, validFrames().map(frame -> line("valid", frame.encode()))),
      Tuple.of(4, FrameFuzz.mutationsOf(validFrames()).map(text -> line("mutated", text.replace('\n', ' ')))),
      Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)
        .map(bytes -> new Segment("bytes", withoutNewlines(bytes), true))),
      Tuple.of(2, FrameFuzz.jsonish().map(text -> line("jsonish", text))),
      Tuple.of(3, Arbitraries.of(WEIRD_LINES).map(text -> line("weird", text))),
      Tuple.of(1, Arbitraries.integers().between(1, 4096)
        .map(extra -> new Segment("oversize", "x".repeat(ProtocolCodec.MAX_FRAME_BYTES + extra).getBytes(StandardCharsets.UTF_8), true))));
    Arbitrary<Segment> partial = validFrames().map(frame -> {
      String text = frame.encode();
      return new Segment("partial", text.substring(0, text.length() / 2).getBytes(StandardCharsets.UTF_8), false);
    });
    Arbitrary<List<Segment>> segments = Arbitraries.frequencyOf(
        Tuple.of(4, lines.list().ofMinSize(1).ofMaxSize(8)),
        Tuple.of(1, Combinators.combine(lines.list().ofMinSize(0).ofMaxSize(4), partial).as((list, last) -> {
          List<Segment> all = new ArrayList<>(list);
          all.add(last);
          return all;
        })));
    return Combinators.combine(segments, Arbitraries.longs()).as(Input::new);
  }

  /** Every message a child sends, and one of a type the worker does not know (yet). */
  static Arbitrary<JsonObject> validFrames() {
    return Arbitraries.strings().alpha().numeric().ofMaxLength(10).flatMap(text -> Arbitraries.of(
      new ChildMessage.Hello(text, 4242, "fuzz").toJson(),
      new ChildMessage.Ready().toJson(),
      new ChildMessage.InitFailed(text).toJson(),
      new ChildMessage.Started(text).toJson(),
      new ChildMessage.Output(text, new JsonObject().put("v", text)).toJson(),
      new ChildMessage.Done(text, new JsonObject().put("v", text)).toJson(),
      new ChildMessage.Failed(text, text).toJson(),
      new ChildMessage.Pong(text.length()).toJson(),
      new ChildMessage.Exiting(text).toJson(),
      new JsonObject().put("type", "bogus").put("jobId", text)));
  }

  private static Segment line(String kind, String text) {
    return new Segment(kind, text.getBytes(StandardCharsets.UTF_8), true);
  }

  private static byte[] withoutNewlines(byte[] bytes) {
    byte[] copy = bytes.clone();
    for (int i = 0; i < copy.length; i++) {
      if (copy[i] == '\n') {
        copy[i] = ' ';
      }
    }
    return copy;
  }
}
