package io.warmpool.child;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Plays the worker for one scripted session over a loopback socket, so that a build can run a
 * child through its hot path without a worker and record the classes it loads, for a class-data
 * archive:
 *
 * <pre>
 * java -Xshare:off -XX:DumpLoadedClassList=target/child.classlist -cp target/warmpool.jar \
 *   io.warmpool.child.ChildMain --train io.warmpool.demo.DemoEntrypoint --payload '{"op":"echo"}'
 * java -Xshare:dump -XX:SharedClassListFile=target/child.classlist \
 *   -XX:SharedArchiveFile=target/child.jsa -cp target/warmpool.jar
 * </pre>
 *
 * <p>The session: {@code hello}, {@code initialize} with {@code --options} ({@code {}} by
 * default), {@code ready}; then, only with {@code --payload}, one job with that payload, read to
 * its {@code done} or {@code failed} (a failed job is a finished training too); {@code ping},
 * {@code pong}, {@code shutdown}, {@code exiting}, exit 0. Without {@code --payload} no job runs:
 * a user's entrypoint is trained on its prewarm alone, never on a payload made up for it. A
 * child's {@code log} records are skipped wherever they come.
 *
 * <p>An entrypoint that cannot be loaded or whose prewarm fails ends the run with
 * {@link ExitCode#INIT_FAILED} and a line on stderr saying why; any other departure from the
 * script with {@link ExitCode#INTERNAL_ERROR}.
 */
final class TrainingRun implements Runnable {

  static final String FLAG = "--train";
  static final String TOKEN = "training";

  private static final String JOB_ID = "training";

  private final String entrypoint;
  private final JsonObject options;
  /** {@code null}: no job. */
  private final JsonObject payload;
  private ServerSocket server;

  private TrainingRun(String entrypoint, JsonObject options, JsonObject payload) {
    this.entrypoint = entrypoint;
    this.options = options;
    this.payload = payload;
  }

  /**
   * The run that {@code --train <entrypoint> [--options JSON] [--payload JSON]} asks for.
   *
   * @throws IllegalArgumentException naming what is wrong with the arguments
   */
  static TrainingRun of(String[] args) {
    if (args.length < 2 || args[1].startsWith("--")) {
      throw new IllegalArgumentException(FLAG + " needs the entrypoint class to train");
    }
    JsonObject options = new JsonObject();
    JsonObject payload = null;
    for (int i = 2; i < args.length; i += 2) {
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      switch (args[i]) {
        case "--options":
          options = object(args[i], args[i + 1]);
          break;
        case "--payload":
          payload = object(args[i], args[i + 1]);
          break;
        default:
          throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
      }
    }
    return new TrainingRun(args[1], options, payload);
  }

  private static JsonObject object(String flag, String json) {
    try {
      return Wire.parseObject(json);
    } catch (ProtocolViolation e) {
      throw new IllegalArgumentException(flag + " must be a JSON object, got: " + Wire.abbreviate(json));
    }
  }

  /** Starts the scripted worker on a free loopback port and returns that port. */
  int start() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
    Thread thread = new Thread(this, "warmpool-training-worker");
    thread.setDaemon(true);
    thread.start();
    return server.getLocalPort();
  }

  @Override
  public void run() {
    try (ServerSocket listening = server; Socket socket = listening.accept()) {
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      expect(in, "hello");
      JsonObject initialize = Wire.message("initialize");
      initialize.addProperty("entrypoint", entrypoint);
      initialize.add("options", options);
      send(out, initialize);
      String answer = read(in);
      if (answer.equals("initFailed")) {
        // the session has said why on stderr and exits with INIT_FAILED too: either exit will do
        ChildLog.warn("training run: " + entrypoint + " could not be loaded or prewarmed; see above");
        Runtime.getRuntime().halt(ExitCode.INIT_FAILED);
      }
      requireType("ready", answer);
      if (payload != null) {
        JsonObject start = Wire.message("start");
        start.addProperty("jobId", JOB_ID);
        start.add("payload", payload);
        send(out, start);
        expect(in, "started");
        String end;
        do {
          end = read(in);
        } while (end.equals("output"));
        if (!end.equals("done") && !end.equals("failed")) {
          throw new IllegalStateException("expected done or failed, got " + end);
        }
      }
      JsonObject ping = Wire.message("ping");
      ping.addProperty("seq", 1);
      send(out, ping);
      expect(in, "pong");
      JsonObject shutdown = Wire.message("shutdown");
      shutdown.addProperty("reason", "training done");
      send(out, shutdown);
      expect(in, "exiting");
      // Closing now is safe: the child recorded its exit before it sent exiting.
    } catch (IOException | RuntimeException e) {
      ChildLog.warn("training run failed: " + e);
      Runtime.getRuntime().halt(ExitCode.INTERNAL_ERROR);
    }
  }

  private static void expect(BufferedReader in, String type) throws IOException {
    requireType(type, read(in));
  }

  private static void requireType(String expected, String type) {
    if (!type.equals(expected)) {
      throw new IllegalStateException("expected " + expected + ", got " + type);
    }
  }

  /** The type of the child's next message, past its log records. */
  private static String read(BufferedReader in) throws IOException {
    while (true) {
      String line = in.readLine();
      if (line == null) {
        throw new IOException("the child closed the channel");
      }
      JsonElement type;
      try {
        type = Wire.parseObject(line).get("type");
      } catch (ProtocolViolation e) {
        throw new IllegalStateException(e.getMessage());
      }
      if (type == null || !type.isJsonPrimitive()) {
        throw new IllegalStateException("a message without a type: " + Wire.abbreviate(line));
      }
      if (!type.getAsString().equals("log")) {
        return type.getAsString();
      }
    }
  }

  private static void send(OutputStream out, JsonObject message) throws IOException {
    out.write(Wire.frame(message));
    out.flush();
  }
}
