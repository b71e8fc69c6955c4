package io.warmpool.child;

import io.vertx.core.json.JsonObject;
import io.warmpool.demo.DemoEntrypoint;
import io.warmpool.protocol.ChildMessage;
import io.warmpool.protocol.ProtocolCodec;
import io.warmpool.protocol.ProtocolException;
import io.warmpool.protocol.WorkerMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reused child must take the next job the moment it has sent the last one's {@code done}:
 * that is when the worker hands it the next. The chaos run met a runtime that ignored such a
 * start while its job thread was still returning, leaving the job assigned for ever (the
 * current runtime frees the child before the terminal frame leaves). The test plays the worker
 * over a real socket to a real child process and sends each start as soon as the previous
 * job's done arrives, thousands of times, so that window is hit if it exists.
 */
class BackToBackJobsTest {

  private static final int JOBS = 3000;

  @Test
  void aStartRightAfterDoneIsNeverIgnored(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("child.log");
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(30_000);
      ProcessBuilder builder = new ProcessBuilder(FakeWorker.javaChildCommand(List.of()))
        .redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().put("WARMPOOL_IPC_PORT", Integer.toString(server.getLocalPort()));
      builder.environment().put("WARMPOOL_IPC_TOKEN", "token");
      Process child = builder.start();
      try (Socket socket = server.accept()) {
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = socket.getOutputStream();
        assertThat(next(in)).isInstanceOf(ChildMessage.Hello.class);
        send(out, new WorkerMessage.Initialize(DemoEntrypoint.class.getName(), new JsonObject()));
        assertThat(next(in)).isInstanceOf(ChildMessage.Ready.class);

        for (int i = 0; i < JOBS; i++) {
          String jobId = "job-" + i;
          send(out, new WorkerMessage.Start(jobId, new JsonObject().put("op", "echo").put("value", i)));
          ChildMessage frame;
          try {
            do {
              frame = next(in);
            } while (!(frame instanceof ChildMessage.Done));
          } catch (SocketTimeoutException e) {
            throw new AssertionError("job " + i + " of " + JOBS + " never ended; the child said: " + Files.readString(log), e);
          }
          assertThat(((ChildMessage.Done) frame).jobId()).isEqualTo(jobId);
        }

        send(out, new WorkerMessage.Shutdown("test over"));
        assertThat(next(in)).isInstanceOf(ChildMessage.Exiting.class);
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        child.destroyForcibly();
      }
    }
  }

  private static ChildMessage next(BufferedReader in) throws IOException, ProtocolException {
    String line = in.readLine();
    assertThat(line).as("a frame from the child").isNotNull();
    return ProtocolCodec.decodeChildMessage(line).orElseThrow(() -> new AssertionError("unknown type: " + line));
  }

  private static void send(OutputStream out, WorkerMessage message) throws IOException {
    out.write(ProtocolCodec.encode(message));
    out.flush();
  }
}
