package io.warmpool.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.warmpool.client.ClientOptions;
import io.warmpool.client.EventBufferOverflowException;
import io.warmpool.client.JobEvent;
import io.warmpool.client.JobOutcome;
import io.warmpool.client.SubmitOptions;
import io.warmpool.client.SubmittedJob;
import io.warmpool.client.WarmpoolClient;
import io.warmpool.client.WarmpoolException;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * The command-line client of the standalone jar: {@code java -jar warmpool.jar submit|watch|cancel|state …}
 * against a running worker, over its WebSocket with the Java client (io.warmpool.client). It
 * starts no worker and no Vert.x, so nothing of a worker's log reaches its output: stdout has
 * the job's events (or states) only, stderr what went wrong. {@link #run} takes its streams and
 * returns the exit status, so tests run it in-process.
 */
public final class Cli {

  public static final String USAGE = String.join("\n",
    "       java -jar warmpool.jar submit PAYLOAD [--job-id ID] [--timeout-ms N] [--logs]",
    "       java -jar warmpool.jar watch JOB_ID [--from-seq N]",
    "       java -jar warmpool.jar cancel JOB_ID",
    "       java -jar warmpool.jar state [--follow]",
    "  each with --url URL (default " + CliArgs.DEFAULT_URL + ") and --token TOKEN (default: $"
      + CliArgs.TOKEN_VARIABLE + ")",
    "  exit status: 0 completed, 1 failed, 2 usage, 3 cancelled, 4 rejected, 5 no such job, 6 worker unreachable,",
    "  7 unauthorized (docs/clients.md)");

  /** Whether the first argument names a command of the client (anything else starts a worker). */
  public static boolean isCommand(String arg) {
    return CliArgs.COMMANDS.containsKey(arg);
  }

  /**
   * Runs one command.
   *
   * @param readable whether stdout is a terminal: one readable line per event instead of JSON
   * @return the exit status ({@link ExitStatus})
   */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, boolean readable) {
    CliArgs parsed;
    ClientOptions options;
    try {
      if (args.length == 0 || !isCommand(args[0])) {
        throw new UsageException("a command first: submit, watch, cancel or state");
      }
      parsed = CliArgs.parse(args, env);
      options = new ClientOptions().setUrl(parsed.url()).setToken(parsed.token());
    } catch (UsageException | IllegalArgumentException e) {
      err.println("warmpool: " + e.getMessage() + "\nusage:\n" + USAGE);
      return ExitStatus.USAGE.code;
    }
    EventPrinter printer = readable ? new ReadableLines(out) : new JsonLines(out);
    try {
      JsonObject payload = "submit".equals(parsed.command()) ? payload(parsed.operand()) : null;
      try (WarmpoolClient client = await(WarmpoolClient.connect(options))) {
        ExitStatus status = switch (parsed.command()) {
          case "submit" -> submit(client, payload, parsed, printer, err);
          case "watch" -> follow(client, await(client.watch(parsed.operand(), parsed.fromSeq())), printer, err);
          case "cancel" -> cancel(client, parsed.operand(), printer);
          default -> state(client, parsed.follow(), printer);
        };
        return status.code;
      }
    } catch (UsageException e) {
      err.println("warmpool: " + e.getMessage());
      return ExitStatus.USAGE.code;
    } catch (WarmpoolException e) {
      err.println("warmpool: " + e.getMessage());
      return ExitStatus.of(e).code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("warmpool: interrupted");
      return ExitStatus.UNREACHABLE.code;
    }
  }

  private static JsonObject payload(String text) throws UsageException {
    try {
      JsonElement parsed = JsonParser.parseString(text);
      if (parsed.isJsonObject()) {
        return parsed.getAsJsonObject();
      }
    } catch (JsonParseException e) {
      throw new UsageException("the payload is not JSON: " + e.getMessage());
    }
    throw new UsageException("the payload must be a JSON object, like '{\"op\":\"echo\",\"value\":1}'");
  }

  private static ExitStatus submit(WarmpoolClient client, JsonObject payload, CliArgs args, EventPrinter printer,
                                   PrintStream err) throws InterruptedException {
    SubmittedJob job = await(client.submit(payload, new SubmitOptions().setJobId(args.jobId())
      .setTimeoutMs(args.timeoutMs()).setLogs(args.logs())));
    err.println("warmpool: job " + job.jobId() + " accepted");
    return follow(client, job, printer, err);
  }

  /**
   * Prints the job's events until its terminal one. A stdout that cannot keep up (the events
   * are requested one at a time) may fill the client's buffer: the job is then watched again
   * from the last event printed, so every event is printed once all the same.
   */
  private static ExitStatus follow(WarmpoolClient client, SubmittedJob job, EventPrinter printer, PrintStream err)
    throws InterruptedException {
    SubmittedJob current = job;
    while (true) {
      QueueSubscriber<JobEvent> events = new QueueSubscriber<>();
      current.events().subscribe(events);
      for (JobEvent event = events.next(); event != null; event = events.next()) {
        printer.event(event);
      }
      if (events.error() instanceof EventBufferOverflowException overflow) {
        current = await(client.watch(job.jobId(), overflow.lastSeq()));
        continue;
      }
      if (events.error() instanceof WarmpoolException failure) {
        throw failure;
      }
      JobOutcome outcome = await(current.outcome());
      if (outcome.state() == JobOutcome.State.FAILED) {
        err.println("warmpool: job " + job.jobId() + " failed (" + outcome.reason() + "): " + outcome.message());
      } else if (outcome.state() == JobOutcome.State.CANCELLED) {
        err.println("warmpool: job " + job.jobId() + " was cancelled");
      }
      return ExitStatus.of(outcome.state());
    }
  }

  /** Cancels the job; done (0) once it has ended, however: cancelled now, or ended before. */
  private static ExitStatus cancel(WarmpoolClient client, String jobId, EventPrinter printer) {
    printer.outcome(jobId, await(client.cancel(jobId)));
    return ExitStatus.OK;
  }

  private static ExitStatus state(WarmpoolClient client, boolean follow, EventPrinter printer) throws InterruptedException {
    QueueSubscriber<JsonObject> states = new QueueSubscriber<>();
    client.poolState().subscribe(states);
    for (JsonObject state = states.next(); state != null; state = states.next()) {
      printer.state(state);
      if (!follow) {
        states.cancel();
        return ExitStatus.OK;
      }
    }
    if (states.error() instanceof WarmpoolException failure) {
      throw failure;
    }
    return ExitStatus.OK;
  }

  /** The value of a client's future; its failure as the {@link WarmpoolException} it is. */
  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WarmpoolException failure) {
        throw failure;
      }
      throw new WarmpoolException(WarmpoolException.UNREACHABLE, String.valueOf(e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WarmpoolException(WarmpoolException.CLOSED, "interrupted", e);
    }
  }

  private Cli() {
  }
}
