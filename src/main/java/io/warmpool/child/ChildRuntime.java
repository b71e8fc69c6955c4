package io.warmpool.child;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The child's side of the protocol. The reader (the calling thread) answers pings and takes
 * orders; jobs run on a thread of their own so a long job never delays a pong and a shutdown
 * can interrupt it.
 */
final class ChildRuntime {

  /** Enough rounds for C1 to compile the parse and encode paths. */
  private static final int WARM_UP_ROUNDS = 3000;

  private final Socket socket;
  private final String token;
  private final OutputStream out;
  private final ExecutorService jobThread = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "warmpool-job");
    thread.setDaemon(true);
    return thread;
  });
  private Entrypoint entrypoint;
  private Future<?> job;

  ChildRuntime(Socket socket, String token) throws IOException {
    this.socket = socket;
    this.token = token;
    this.out = socket.getOutputStream();
  }

  /** Runs until shutdown (exit code 0) or a broken channel; returns the exit code. */
  int run() throws IOException {
    send(new JsonObject()
      .put("type", "hello")
      .put("token", token)
      .put("pid", ProcessHandle.current().pid())
      .put("runtime", "java " + Runtime.version()));
    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    String line;
    try {
      while ((line = in.readLine()) != null) {
        JsonObject message;
        try {
          message = new JsonObject(line);
        } catch (RuntimeException e) {
          log("not a JSON object from the worker, giving up: " + e.getMessage());
          return 3;
        }
        if (!handle(message)) {
          return 0;
        }
      }
    } catch (IOException e) {
      log("channel broken: " + e.getMessage());
    }
    // the worker is gone (closed or killed): nothing may outlive it, not even a hung job
    Runtime.getRuntime().halt(0);
    return 0;
  }

  /** Handles one message; false once the runtime should exit. */
  private boolean handle(JsonObject message) throws IOException {
    String type = message.getString("type", "");
    switch (type) {
      case "initialize" -> initialize(message.getString("entrypoint"));
      case "start" -> start(message.getString("jobId"), message.getJsonObject("payload", new JsonObject()));
      case "ping" -> send(new JsonObject().put("type", "pong").put("seq", message.getValue("seq")));
      case "shutdown" -> {
        shutdown(message.getString("reason", ""));
        return false;
      }
      default -> log("ignoring message of unknown type '" + type + "'");
    }
    return true;
  }

  private void initialize(String entrypointClass) throws IOException {
    try {
      Class<?> type = Class.forName(entrypointClass);
      entrypoint = (Entrypoint) type.getDeclaredConstructor().newInstance();
      entrypoint.prewarm();
      warmOwnPath();
    } catch (Throwable e) {
      send(new JsonObject().put("type", "initFailed").put("error", describe(e)));
      socket.close();
      System.exit(1);
    }
    send(new JsonObject().put("type", "ready"));
  }

  /**
   * Runs the code a job start takes until the JIT has compiled it, so that even the first and
   * only job of a single-use process starts in well under a millisecond. Costs a few
   * milliseconds of CPU once, during initialisation, where waiting is expected.
   */
  private void warmOwnPath() throws Exception {
    String sample = "{\"type\":\"start\",\"jobId\":\"warm-up-0123456789\",\"payload\":{\"op\":\"echo\",\"value\":1}}";
    long bytes = 0;
    for (int i = 0; i < WARM_UP_ROUNDS; i++) {
      JsonObject start = new JsonObject(sample);
      bytes += frame(new JsonObject().put("type", "started").put("jobId", start.getString("jobId"))).length;
      bytes += frame(new JsonObject().put("type", "done").put("jobId", start.getString("jobId"))
        .put("result", start.getJsonObject("payload"))).length;
    }
    if (bytes == 0) {
      throw new IllegalStateException("warm-up produced nothing");
    }
    jobThread.submit(() -> { }).get();
  }

  private void start(String jobId, JsonObject payload) throws IOException {
    if (entrypoint == null || (job != null && !job.isDone())) {
      log("'start' for job " + jobId + " while " + (entrypoint == null ? "not initialised" : "a job runs"));
      return;
    }
    send(new JsonObject().put("type", "started").put("jobId", jobId));
    job = jobThread.submit(() -> runJob(jobId, payload));
  }

  private void runJob(String jobId, JsonObject payload) {
    JobContext context = new JobContext() {
      @Override
      public String jobId() {
        return jobId;
      }

      @Override
      public void output(Object data) {
        // encoded here, so data that is not JSON fails the job's own call, not the channel
        writeQuietly(frame(new JsonObject().put("type", "output").put("jobId", jobId).put("data", data)));
      }
    };
    byte[] end;
    try {
      Object result = entrypoint.run(context, payload);
      end = frame(new JsonObject().put("type", "done").put("jobId", jobId).put("result", result));
    } catch (InterruptedException e) {
      // interrupted by a shutdown: the worker has ended the job already
      return;
    } catch (Throwable e) {
      end = frame(new JsonObject().put("type", "failed").put("jobId", jobId).put("error", describe(e)));
    }
    writeQuietly(end);
  }

  private void shutdown(String reason) throws IOException {
    if (job != null) {
      job.cancel(true);
      jobThread.shutdown();
      try {
        // a job that ignores interrupts keeps this process until the worker's close timeout kills it
        while (!jobThread.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS)) {
          log("waiting for the job to stop");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    send(new JsonObject().put("type", "exiting").put("reason", reason));
    socket.close();
  }

  private void send(JsonObject message) throws IOException {
    write(frame(message));
  }

  /** One protocol frame; throws {@code EncodeException} when the message holds something that is not JSON. */
  private static byte[] frame(JsonObject message) {
    return (message.encode() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private synchronized void write(byte[] frame) throws IOException {
    out.write(frame);
    out.flush();
  }

  private void writeQuietly(byte[] frame) {
    try {
      write(frame);
    } catch (IOException e) {
      // the channel is gone: the reader sees it too and ends the process
      log("cannot write to the worker: " + e.getMessage());
    }
  }

  private static String describe(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && (cause instanceof java.lang.reflect.InvocationTargetException
      || cause instanceof java.util.concurrent.ExecutionException)) {
      cause = cause.getCause();
    }
    return cause.getClass().getName() + ": " + cause.getMessage();
  }

  private static void log(String text) {
    System.err.println("[warmpool child] " + text);
  }
}
