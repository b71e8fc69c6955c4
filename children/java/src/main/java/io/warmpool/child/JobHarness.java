package io.warmpool.child;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Runs an {@link Entrypoint} in the test's own process, as a warm child would, with no worker:
 * prewarm once, then jobs, each with its outputs, its {@code java.util.logging} records, its
 * result or error, and a cancel. Results and outputs are checked and converted as the runtime
 * checks and converts them (JSON values, within the frame limit), so a job that passes here is
 * not refused by a worker.
 *
 * <pre>{@code
 * JsonObject options = JsonParser.parseString("{\"model\": \"small\"}").getAsJsonObject();
 * JobHarness harness = JobHarness.prewarm(new MyJob(), options);
 * JobHarness.Run run = harness.run(JsonParser.parseString("{\"text\": \"hello\"}").getAsJsonObject());
 * assertEquals(2, run.outputs().size());
 * assertEquals("ok", run.result().getAsJsonObject().get("status").getAsString());
 * }</pre>
 */
public final class JobHarness {

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final Entrypoint entrypoint;
  private int nextJob = 1;

  private JobHarness(Entrypoint entrypoint) {
    this.entrypoint = entrypoint;
  }

  /** Runs {@code entrypoint}'s prewarm hook with {@code options} ({@code {}} when null), as a child does before it is ready. */
  public static JobHarness prewarm(Entrypoint entrypoint, JsonObject options) throws Exception {
    entrypoint.prewarm(options == null ? new JsonObject() : options);
    return new JobHarness(entrypoint);
  }

  /** Runs one job to its end (at most 30 s); the job gets a copy of {@code payload}. */
  public Run run(JsonObject payload) throws InterruptedException, TimeoutException {
    return start(payload).await(DEFAULT_TIMEOUT);
  }

  /**
   * Starts one job on a fresh thread of its own; {@link Run#cancel()} and {@link Run#await} it.
   * (A child runs its process's jobs one after another on one thread: a job's own
   * {@code ThreadLocal}s are seen by the next there, never here.)
   */
  public Run start(JsonObject payload) {
    Run run = new Run("job-" + nextJob++);
    Thread thread = new Thread(() -> run.execute(entrypoint, payload), "warmpool-job-" + run.jobId());
    thread.setDaemon(true);
    thread.start();
    return run;
  }

  /** Calls the entrypoint's {@link Entrypoint#close()}, as an orderly shutdown does. */
  public void close() throws Exception {
    entrypoint.close();
  }

  /** One job: what it sent, logged and returned. */
  public static final class Run implements JobContext {

    private static final InheritableThreadLocal<Run> CURRENT = new InheritableThreadLocal<>();

    private final String jobId;
    private final JsonPrimitive wireId;
    private final List<JsonElement> outputs = Collections.synchronizedList(new ArrayList<>());
    private final List<LogRecord> logs = Collections.synchronizedList(new ArrayList<>());
    private final CancelNotice cancelNotice = new CancelNotice();
    private final CompletableFuture<JsonElement> outcome = new CompletableFuture<>();

    private Run(String jobId) {
      this.jobId = jobId;
      this.wireId = new JsonPrimitive(jobId);
    }

    private void execute(Entrypoint entrypoint, JsonObject payload) {
      CURRENT.set(this);
      Handler capture = new Capture();
      Logger root = Logger.getLogger("");
      root.addHandler(capture);
      try {
        Object result = entrypoint.run(this, payload.deepCopy());
        // what the runtime would send: a result it could not is the job's failure there too
        ChildFrames.done(wireId, result);
        outcome.complete(Wire.valueOf(result));
      } catch (Throwable t) {
        outcome.completeExceptionally(t);
      } finally {
        root.removeHandler(capture);
      }
    }

    @Override
    public String jobId() {
      return jobId;
    }

    @Override
    public void output(Object data) {
      if (outcome.isDone()) {
        throw new IllegalStateException("job " + jobId + " has ended; its output is not sent");
      }
      ChildFrames.output(wireId, data);
      outputs.add(Wire.valueOf(data));
    }

    @Override
    public boolean isCancelled() {
      return cancelNotice.isCancelled();
    }

    @Override
    public void onCancel(Runnable callback) {
      cancelNotice.onCancel(callback);
    }

    /** Tells the job it was cancelled, as a worker's {@code cancel} does; its callbacks run on the calling thread. */
    public void cancel() {
      cancelNotice.cancel().forEach(Runnable::run);
    }

    /** Waits for the job to end; throws if it has not within {@code timeout}. */
    public Run await(Duration timeout) throws InterruptedException, TimeoutException {
      try {
        outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException failed) {
        // the failure is the job's outcome, read through error()
      }
      return this;
    }

    /**
     * The job's result as the worker would get it (a {@code String} returned is a
     * {@link JsonPrimitive} here, {@code null} is {@link com.google.gson.JsonNull}); throws
     * {@link IllegalStateException} when the job failed or has not ended.
     */
    public JsonElement result() {
      if (!outcome.isDone() || outcome.isCompletedExceptionally()) {
        throw new IllegalStateException("job " + jobId + " has no result: " + (outcome.isDone() ? error() : "still running"));
      }
      return outcome.join();
    }

    /** What the job threw, or {@code null} when it completed or still runs. */
    public Throwable error() {
      if (!outcome.isCompletedExceptionally()) {
        return null;
      }
      try {
        outcome.join();
        return null;
      } catch (java.util.concurrent.CompletionException e) {
        return e.getCause();
      }
    }

    /** The job's outputs, in order, converted as {@link #result()} is. */
    public List<JsonElement> outputs() {
      return List.copyOf(outputs);
    }

    /** The {@code java.util.logging} records made by the job's thread and the threads it started. */
    public List<LogRecord> logs() {
      return List.copyOf(logs);
    }

    /** Keeps the records of this job's threads. */
    private final class Capture extends Handler {

      @Override
      public void publish(LogRecord record) {
        if (CURRENT.get() == Run.this && isLoggable(record)) {
          logs.add(record);
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    }
  }
}
