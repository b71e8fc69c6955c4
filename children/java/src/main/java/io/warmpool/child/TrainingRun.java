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
 * Plays the worker for one scripted session (initialize, one job, ping, shutdown) over a
 * loopback socket, so that a build can run a child through its whole hot path without a
 * worker and record the classes it loads, for an AppCDS archive:
 *
 * <pre>
 * java -Xshare:off -XX:DumpLoadedClassList=target/child.classlist -cp target/warmpool.jar \
 *   io.warmpool.child.ChildMain --train io.warmpool.demo.DemoEntrypoint
 * java -Xshare:dump -XX:SharedClassListFile=target/child.classlist \
 *   -XX:SharedArchiveFile=target/child.jsa -cp target/warmpool.jar
 * </pre>
 */
final class TrainingRun implements Runnable {

  static final String TOKEN = "training";

  private final ServerSocket server;
  private final String entrypoint;
  private final JsonObject payload;

  private TrainingRun(ServerSocket server, String entrypoint, JsonObject payload) {
    this.server = server;
    this.entrypoint = entrypoint;
    this.payload = payload;
  }

  /** Starts the scripted worker on a free loopback port and returns that port. */
  static int start(String entrypoint, JsonObject payload) throws IOException {
    ServerSocket server = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
    Thread thread = new Thread(new TrainingRun(server, entrypoint, payload), "warmpool-training-worker");
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
      initialize.add("options", new JsonObject());
      send(out, initialize);
      expect(in, "ready");
      JsonObject start = Wire.message("start");
      start.addProperty("jobId", "training");
      start.add("payload", payload);
      send(out, start);
      expect(in, "started");
      String end;
      do {
        end = read(in);
      } while (end.equals("output"));
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
    String received = read(in);
    if (!received.equals(type)) {
      throw new IllegalStateException("expected " + type + ", got " + received);
    }
  }

  /** The type of the child's next message. */
  private static String read(BufferedReader in) throws IOException {
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
    return type.getAsString();
  }

  private static void send(OutputStream out, JsonObject message) throws IOException {
    out.write(Wire.frame(message));
    out.flush();
  }
}
