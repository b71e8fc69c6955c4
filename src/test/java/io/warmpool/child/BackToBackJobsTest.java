package io.warmpool.child;

import io.vertx.core.json.JsonObject;
import io.warmpool.demo.DemoEntrypoint;
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
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ChildMain.class.getName())
        .redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().put("WARMPOOL_IPC_PORT", Integer.toString(server.getLocalPort()));
      builder.environment().put("WARMPOOL_IPC_TOKEN", "token");
      Process child = builder.start();
      try (Socket socket = server.accept()) {
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = socket.getOutputStream();
        assertThat(next(in).getString("type")).isEqualTo("hello");
        send(out, new JsonObject().put("type", "initialize").put("entrypoint", DemoEntrypoint.class.getName())
          .put("options", new JsonObject()));
        assertThat(next(in).getString("type")).isEqualTo("ready");

        for (int i = 0; i < JOBS; i++) {
          String jobId = "job-" + i;
          send(out, new JsonObject().put("type", "start").put("jobId", jobId)
            .put("payload", new JsonObject().put("op", "echo").put("value", i)));
          JsonObject frame;
          try {
            do {
              frame = next(in);
            } while (!"done".equals(frame.getString("type")));
          } catch (SocketTimeoutException e) {
            throw new AssertionError("job " + i + " of " + JOBS + " never ended; the child said: " + Files.readString(log), e);
          }
          assertThat(frame.getString("jobId")).isEqualTo(jobId);
        }

        send(out, new JsonObject().put("type", "shutdown").put("reason", "test over"));
        assertThat(next(in).getString("type")).isEqualTo("exiting");
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        child.destroyForcibly();
      }
    }
  }

  private static JsonObject next(BufferedReader in) throws IOException {
    String line = in.readLine();
    assertThat(line).as("a frame from the child").isNotNull();
    return new JsonObject(line);
  }

  private static void send(OutputStream out, JsonObject message) throws IOException {
    out.write((message.encode() + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
