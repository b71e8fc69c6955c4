package io.warmpool.child;

import io.vertx.core.json.JsonObject;
import io.warmpool.TestChildren;
import io.warmpool.javachild.CacheDirectory;
import io.warmpool.javachild.JavaChildCommand;
import io.warmpool.javachild.RuntimeJars;
import io.warmpool.protocol.ChildMessage;
import io.warmpool.protocol.ProtocolCodec;
import io.warmpool.protocol.ProtocolException;
import io.warmpool.protocol.WorkerMessage;

import java.io.BufferedReader;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The worker's side of the channel, reduced to what a test needs: listen on 127.0.0.1, start
 * a real child process, read its messages into a queue, send messages (typed, through the
 * protocol's codec, or raw to break it). {@link #close()} kills every
 * process it started (and every child pid a hello named), so no test leaves one behind.
 */
public final class FakeWorker implements AutoCloseable {

  /** The options recommended for the Java child; tests run the child with them. */
  public static final List<String> CHILD_JVM_OPTIONS = List.of(
    "-Xms8m", "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
    "-XX:CICompilerCount=1", "-XX:-UsePerfData",
    "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");

  /** Generous: a JVM start on a loaded CI machine can take seconds. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  public static final Duration FRAME_TIMEOUT = Duration.ofSeconds(10);

  private static final String EOF = "\u0000eof";

  private final ServerSocket server;
  private final String token = UUID.randomUUID().toString();
  private final Path logDir;
  private final List<ProcessHandle> started = new ArrayList<>();
  private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  private Process process;
  private Socket channel;
  private OutputStream out;
  private long childPid = -1;

  /** @param logDir where the child's stdout and stderr go (files, so the pipes never fill up) */
  public FakeWorker(Path logDir) throws IOException {
    this.logDir = logDir;
    this.server = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
  }

  /**
   * The Java child as the worker starts it: the child runtime's jars and, for the test
   * entrypoints, the test classes; none of the worker's own libraries.
   */
  public static List<String> javaChildCommand(List<String> jvmOptions) throws IOException {
    Path cache = CacheDirectory.resolve("", System.getenv());
    return new JavaChildCommand(Paths.get(System.getProperty("java.home"), "bin", "java"), jvmOptions,
      RuntimeJars.extractInto(cache), List.of(TestChildren.testClasses())).plain();
  }

  public Process startJavaChild() throws IOException {
    return start(javaChildCommand(CHILD_JVM_OPTIONS));
  }

  public Process start(List<String> command) throws IOException {
    return start(command, Map.of());
  }

  public Process start(List<String> command, Map<String, String> extraEnvironment) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(extraEnvironment);
    builder.environment().put(ChildMain.PORT_ENV, String.valueOf(server.getLocalPort()));
    builder.environment().put(ChildMain.TOKEN_ENV, token);
    builder.redirectOutput(stdoutFile().toFile());
    builder.redirectError(stderrFile().toFile());
    process = builder.start();
    started.add(process.toHandle());
    return process;
  }

  public Path stdoutFile() {
    return logDir.resolve("child.stdout");
  }

  public Path stderrFile() {
    return logDir.resolve("child.stderr");
  }

  public Process process() {
    return process;
  }

  public String token() {
    return token;
  }

  /** Pid from the child's hello (the started process's pid unless it runs under a wrapper). */
  public long childPid() {
    return childPid;
  }

  /** Accepts the child's connection and starts reading frames. */
  public void accept() throws IOException {
    server.setSoTimeout((int) START_TIMEOUT.toMillis());
    try {
      channel = server.accept();
    } catch (SocketTimeoutException e) {
      fail("the child did not connect within " + START_TIMEOUT + "; stderr: " + stderr());
    }
    out = channel.getOutputStream();
    Thread reader = new Thread(this::readFrames, "fake-worker-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void readFrames() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(channel.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        frames.add(line);
      }
    } catch (IOException ignored) {
      // the test closed the channel or the child died: both end the stream
    }
    frames.add(EOF);
  }

  /** Accepts, checks hello, sends initialize and returns the child's answer (ready or initFailed). */
  public ChildMessage handshake(String entrypoint) throws IOException {
    return handshake(entrypoint, new JsonObject());
  }

  /** The handshake with {@code options} for the prewarm hook. */
  public ChildMessage handshake(String entrypoint, JsonObject options) throws IOException {
    accept();
    ChildMessage.Hello hello = expect(ChildMessage.Hello.class, START_TIMEOUT);
    assertThat(hello.token()).isEqualTo(token);
    childPid = hello.pid();
    ProcessHandle.of(childPid).ifPresent(started::add);
    send(new WorkerMessage.Initialize(entrypoint, options));
    return next(START_TIMEOUT);
  }

  /** Handshake that must end in ready. */
  public void handshakeReady(String entrypoint) throws IOException {
    handshakeReady(entrypoint, new JsonObject());
  }

  /** Handshake with prewarm options that must end in ready. */
  public void handshakeReady(String entrypoint, JsonObject options) throws IOException {
    ChildMessage answer = handshake(entrypoint, options);
    assertThat(answer).as("answer to initialize").isInstanceOf(ChildMessage.Ready.class);
  }

  public void send(WorkerMessage message) throws IOException {
    out.write(ProtocolCodec.encode(message));
    out.flush();
  }

  public void sendRaw(String line) throws IOException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  public void startJob(String jobId, JsonObject payload) throws IOException {
    send(new WorkerMessage.Start(jobId, payload));
  }

  /**
   * The next message; fails the test when none comes in time, the stream ends, or the frame
   * breaks the protocol or is of a type the protocol does not know.
   */
  public ChildMessage next(Duration timeout) {
    String line = poll(timeout);
    if (line == null) {
      fail("no frame from the child within " + timeout + "; stderr: " + stderr());
    }
    if (line.equals(EOF)) {
      fail("the channel closed while a frame was expected; stderr: " + stderr());
    }
    try {
      return ProtocolCodec.decodeChildMessage(line)
        .orElseThrow(() -> new AssertionError("the child sent a message of an unknown type: " + line));
    } catch (ProtocolException e) {
      throw new AssertionError("the child broke the protocol (" + e.getMessage() + "): " + line, e);
    }
  }

  public ChildMessage next() {
    return next(FRAME_TIMEOUT);
  }

  /** The next message, which must be of this type. */
  public <M extends ChildMessage> M expect(Class<M> type) {
    return expect(type, FRAME_TIMEOUT);
  }

  public <M extends ChildMessage> M expect(Class<M> type, Duration timeout) {
    ChildMessage message = next(timeout);
    assertThat(message).isInstanceOf(type);
    return type.cast(message);
  }

  /** True when nothing arrives within {@code quiet} (used to show that something does NOT happen). */
  public boolean nothingWithin(Duration quiet) {
    return poll(quiet) == null;
  }

  /** Waits for the end of the stream from the child. */
  public boolean channelClosedWithin(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String line = poll(Duration.ofNanos(deadline - System.nanoTime()));
      if (EOF.equals(line)) {
        return true;
      }
    }
    return false;
  }

  private String poll(Duration timeout) {
    try {
      return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The process's exit status; fails when it is still running after {@code timeout}. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      fail("the child did not exit within " + timeout + "; stderr: " + stderr());
    }
    return process.exitValue();
  }

  /** Closes the worker's end of the channel, as a dying worker would. */
  public void closeChannel() throws IOException {
    channel.close();
    server.close();
  }

  public String stderr() {
    try {
      return Files.exists(stderrFile()) ? Files.readString(stderrFile()) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public void close() throws IOException {
    for (ProcessHandle handle : started) {
      handle.destroyForcibly();
    }
    for (ProcessHandle handle : started) {
      handle.onExit().completeOnTimeout(handle, 10, TimeUnit.SECONDS).join();
    }
    if (process != null) {
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (channel != null) {
      channel.close();
    }
    server.close();
  }
}
