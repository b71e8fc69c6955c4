package io.warmpool.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.warmpool.Await;
import io.warmpool.InProcessWorker;
import io.warmpool.client.ClientOptions;
import io.warmpool.client.SubmittedJob;
import io.warmpool.client.WarmpoolClient;
import io.warmpool.client.JobEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command-line client's exit statuses and output, run in-process ({@link Cli#run}) against
 * real workers (one open, one with a token), and once as {@code java … io.warmpool.Main state}
 * to show that {@code Main} only dispatches and no worker log line reaches the output.
 */
class CliTest {

  private static final String TOKEN = "cli-test-token-0123456789";
  private static InProcessWorker worker;
  private static InProcessWorker guarded;

  record Run(int status, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }

    List<JsonObject> json() {
      return lines().stream().map(line -> JsonParser.parseString(line).getAsJsonObject()).toList();
    }
  }

  @BeforeAll
  static void startWorkers() throws Exception {
    worker = InProcessWorker.start(new io.vertx.core.json.JsonObject());
    guarded = InProcessWorker.start(new io.vertx.core.json.JsonObject()
      .put("web", new io.vertx.core.json.JsonObject().put("token", TOKEN)));
  }

  @AfterAll
  static void stopWorkers() throws Exception {
    guarded.close();
    worker.close();
  }

  private static Run cli(String... args) {
    return run(Map.of(), false, args);
  }

  private static Run run(Map<String, String> env, boolean readable, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
      env, readable);
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String[] on(InProcessWorker target, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--url");
    all.add(target.url());
    return all.toArray(String[]::new);
  }

  @Test
  void aCompletedJobPrintsItsEventsAsJsonLinesAndExitsZero() {
    Run run = cli(on(worker, "submit", "{\"op\":\"echo\",\"value\":1,\"outputs\":1}"));

    assertThat(run.status()).as(run.err()).isZero();
    List<JsonObject> events = run.json();
    assertThat(events).extracting(e -> e.get("event").getAsString()).containsExactly("started", "output", "completed");
    assertThat(events).extracting(e -> e.get("seq").getAsLong()).containsExactly(1L, 2L, 3L);
    assertThat(events.get(2).getAsJsonObject("result").get("value").getAsInt()).isEqualTo(1);
    String jobId = events.get(0).get("jobId").getAsString();
    assertThat(run.err().lines().toList()).containsExactly("warmpool: job " + jobId + " accepted");
  }

  @Test
  void aFailedJobExitsOneWithItsReason() {
    Run run = cli(on(worker, "submit", "{\"op\":\"fly\"}"));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.json()).last().satisfies(e -> assertThat(e.get("event").getAsString()).isEqualTo("failed"));
    assertThat(run.err()).contains("failed (error)").contains("unknown op 'fly'");
  }

  @Test
  void aRejectedJobExitsFourWithTheReason() {
    String jobId = "cli-" + UUID.randomUUID();
    assertThat(cli(on(worker, "submit", "{\"op\":\"echo\"}", "--job-id", jobId)).status()).isZero();

    Run run = cli(on(worker, "submit", "{\"op\":\"echo\"}", "--job-id", jobId));
    assertThat(run.status()).isEqualTo(4);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("rejected (duplicate)");
  }

  @Test
  void anUnreachableWorkerExitsSix() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Run run = cli("state", "--url", "ws://127.0.0.1:" + port + "/ws");

    assertThat(run.status()).isEqualTo(6);
    assertThat(run.err()).contains("cannot connect to ws://127.0.0.1:" + port + "/ws");
  }

  @Test
  void aWrongOrMissingTokenExitsSevenAndTheRightOneFromTheEnvironmentIsTaken() {
    Run wrong = cli(on(guarded, "state", "--token", "not-the-token-at-all"));
    assertThat(wrong.status()).isEqualTo(7);
    assertThat(wrong.err()).contains("needs its token");
    assertThat(cli(on(guarded, "state")).status()).isEqualTo(7);

    Run right = run(Map.of("WARMPOOL_WEB_TOKEN", TOKEN), false, on(guarded, "state"));
    assertThat(right.status()).as(right.err()).isZero();
  }

  @Test
  void wrongArgumentsExitTwoWithTheUsage() {
    Run noPayload = cli("submit");
    assertThat(noPayload.status()).isEqualTo(2);
    assertThat(noPayload.err()).contains("submit takes one payload").contains("usage:");

    Run notAnObject = cli(on(worker, "submit", "[1]"));
    assertThat(notAnObject.status()).isEqualTo(2);
    assertThat(notAnObject.err()).contains("must be a JSON object");

    Run notJson = cli(on(worker, "submit", "{op:"));
    assertThat(notJson.status()).isEqualTo(2);
    assertThat(notJson.err()).contains("not JSON");

    Run otherCommandsOption = cli("submit", "{}", "--follow");
    assertThat(otherCommandsOption.status()).isEqualTo(2);
    assertThat(otherCommandsOption.err()).contains("unknown option '--follow' for submit");

    assertThat(cli("watch", "j1", "--from-seq", "-1").err()).contains("--from-seq needs a whole number >= 0");
    assertThat(cli("state", "--url", "http://127.0.0.1:8080/ws").err()).contains("url must be ws:// or wss://");
    // the worker's own check of an id, answered bad-request
    assertThat(cli(on(worker, "watch", "no spaces")).status()).isEqualTo(2);
  }

  @Test
  void stateOncePrintsOneStateAndExitsZero() {
    Run run = cli(on(worker, "state"));

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.json()).singleElement().satisfies(state -> {
      assertThat(state.get("type").getAsString()).isEqualTo("state");
      assertThat(state.get("status").getAsString()).isEqualTo("available");
    });
    assertThat(run.err()).isEmpty();
  }

  @Test
  void aWatchOfAnEndedJobPrintsItsEventsFromTheSeqAsked() {
    String jobId = "cli-" + UUID.randomUUID();
    Run submitted = cli(on(worker, "submit", "{\"op\":\"echo\",\"value\":3,\"outputs\":2}", "--job-id", jobId));
    assertThat(submitted.status()).isZero();

    Run all = cli(on(worker, "watch", jobId));
    assertThat(all.status()).isZero();
    assertThat(all.out()).isEqualTo(submitted.out());
    Run rest = cli(on(worker, "watch", jobId, "--from-seq", "2"));
    assertThat(rest.json()).extracting(e -> e.get("seq").getAsLong()).containsExactly(3L, 4L);

    Run unknown = cli(on(worker, "watch", "never-" + UUID.randomUUID()));
    assertThat(unknown.status()).isEqualTo(5);
    assertThat(unknown.err()).contains("no job");
  }

  @Test
  void aCancelEndsTheJobWhoseWatchThenExitsThree() throws Exception {
    String jobId;
    try (WarmpoolClient client = WarmpoolClient.connect(new ClientOptions().setUrl(worker.url())).get(30, TimeUnit.SECONDS)) {
      SubmittedJob job = client.submit(JsonParser.parseString("{\"op\":\"sleep\",\"ms\":60000}").getAsJsonObject())
        .get(30, TimeUnit.SECONDS);
      jobId = job.jobId();
      List<String> types = new CopyOnWriteArrayList<>();
      job.events().subscribe(new Flow.Subscriber<>() {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
          subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(JobEvent item) {
          types.add(item.type());
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
      });
      Await.waitFor("the job to start", () -> types.contains("started"));
    }

    Run cancel = cli(on(worker, "cancel", jobId));
    assertThat(cancel.status()).as(cancel.err()).isZero();
    assertThat(cancel.json()).singleElement().satisfies(outcome -> {
      assertThat(outcome.get("jobId").getAsString()).isEqualTo(jobId);
      assertThat(outcome.get("state").getAsString()).isEqualTo("cancelled");
    });

    Run watch = cli(on(worker, "watch", jobId));
    assertThat(watch.status()).isEqualTo(3);
    assertThat(watch.json()).extracting(e -> e.get("event").getAsString()).containsExactly("started", "cancelled");
    assertThat(watch.err()).contains("was cancelled");
    assertThat(cli(on(worker, "cancel", "never-" + UUID.randomUUID())).status()).isEqualTo(5);
  }

  @Test
  void onATerminalEachEventIsOneReadableLine() {
    Run run = run(Map.of(), true, on(worker, "submit", "{\"op\":\"echo\",\"value\":\"hi\",\"outputs\":1}"));

    assertThat(run.status()).isZero();
    assertThat(run.lines()).hasSize(3);
    assertThat(run.lines().get(0)).matches("#1 started pid \\d+");
    assertThat(run.lines().get(1)).isEqualTo("#2 output {\"i\":0,\"value\":\"hi\"}");
    assertThat(run.lines().get(2)).isEqualTo("#3 completed {\"value\":\"hi\"}");
    Run state = run(Map.of(), true, on(worker, "state"));
    assertThat(state.out()).startsWith("available  load ");
  }

  @Test
  void theJarsMainRunsTheClientWithoutAWorkersLogLine() throws Exception {
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"), "io.warmpool.Main", "state", "--url", worker.url()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.exitValue()).as(err).isZero();
    assertThat(out.lines().toList()).singleElement()
      .satisfies(line -> assertThat(JsonParser.parseString(line).getAsJsonObject().get("type").getAsString()).isEqualTo("state"));
    assertThat(err).isEmpty();
  }
}
