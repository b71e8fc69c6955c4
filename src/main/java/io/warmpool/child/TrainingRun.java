package io.warmpool.child;

import io.vertx.core.json.JsonObject;
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
      expect(in, ChildMessage.Hello.class);
      send(out, new WorkerMessage.Initialize(entrypoint, new JsonObject()));
      expect(in, ChildMessage.Ready.class);
      send(out, new WorkerMessage.Start("training", payload));
      expect(in, ChildMessage.Started.class);
      ChildMessage end;
      do {
        end = read(in);
      } while (end instanceof ChildMessage.Output);
      send(out, new WorkerMessage.Ping(1));
      expect(in, ChildMessage.Pong.class);
      send(out, new WorkerMessage.Shutdown("training done"));
      expect(in, ChildMessage.Exiting.class);
      // Closing now is safe: the child recorded its exit before it sent exiting.
    } catch (IOException | ProtocolException | RuntimeException e) {
      ChildLog.warn("training run failed: " + e);
      Runtime.getRuntime().halt(ExitCode.INTERNAL_ERROR);
    }
  }

  private static void expect(BufferedReader in, Class<? extends ChildMessage> type) throws IOException, ProtocolException {
    ChildMessage message = read(in);
    if (!type.isInstance(message)) {
      throw new IllegalStateException("expected " + type.getSimpleName() + ", got " + message);
    }
  }

  private static ChildMessage read(BufferedReader in) throws IOException, ProtocolException {
    String line = in.readLine();
    if (line == null) {
      throw new IOException("the child closed the channel");
    }
    return ProtocolCodec.decodeChildMessage(line)
      .orElseThrow(() -> new IllegalStateException("the child sent a message of an unknown type: " + line));
  }

  private static void send(OutputStream out, WorkerMessage message) throws IOException {
    out.write(ProtocolCodec.encode(message));
    out.flush();
  }
}
