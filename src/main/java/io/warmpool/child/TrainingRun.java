package io.warmpool.child;

import io.vertx.core.json.JsonObject;

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
      expect(in, Messages.HELLO);
      send(out, new JsonObject().put("type", Messages.INITIALIZE).put("entrypoint", entrypoint).put("options", new JsonObject()));
      expect(in, Messages.READY);
      send(out, new JsonObject().put("type", Messages.START).put("jobId", "training").put("payload", payload));
      expect(in, Messages.STARTED);
      String end;
      do {
        end = read(in).getString("type");
      } while (Messages.OUTPUT.equals(end));
      send(out, new JsonObject().put("type", Messages.PING).put("seq", 1));
      expect(in, Messages.PONG);
      send(out, new JsonObject().put("type", Messages.SHUTDOWN).put("reason", "training done"));
      expect(in, Messages.EXITING);
      // Closing now is safe: the child recorded its exit before it sent exiting.
    } catch (IOException | RuntimeException e) {
      ChildLog.warn("training run failed: " + e);
      Runtime.getRuntime().halt(ExitCode.INTERNAL_ERROR);
    }
  }

  private static void expect(BufferedReader in, String type) throws IOException {
    JsonObject message = read(in);
    if (!type.equals(message.getString("type"))) {
      throw new IllegalStateException("expected " + type + ", got " + message.encode());
    }
  }

  private static JsonObject read(BufferedReader in) throws IOException {
    String line = in.readLine();
    if (line == null) {
      throw new IOException("the child closed the channel");
    }
    return new JsonObject(line);
  }

  private static void send(OutputStream out, JsonObject message) throws IOException {
    out.write((message.encode() + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
