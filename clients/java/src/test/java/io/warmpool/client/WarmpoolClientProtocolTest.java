package io.warmpool.client;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client against a worker played by the test ({@link FakeWorkerSocket}): the frames it sends,
 * how it reads the answers, and what it does when the connection drops at the moments a real
 * worker cannot be made to drop it (between a submit and its answer). The client against a real
 * worker is tested in the worker's own tests (io.warmpool.client.WarmpoolClientTest).
 */
class WarmpoolClientProtocolTest {

  private FakeWorkerSocket worker;
  private WarmpoolClient client;

  @BeforeEach
  void start() throws Exception {
    worker = new FakeWorkerSocket();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    worker.close();
  }

  private ClientOptions options() {
    return new ClientOptions().setUrl(worker.url()).setReconnectMinDelay(Duration.ofMillis(10))
      .setReconnectMaxDelay(Duration.ofMillis(50));
  }

  private WarmpoolClient connect(ClientOptions options) throws Exception {
    client = WarmpoolClient.connect(options).get(10, TimeUnit.SECONDS);
    return client;
  }

  private static JsonObject json(String text) {
    return JsonParser.parseString(text).getAsJsonObject();
  }

  private static String event(String jobId, int seq, String rest) {
    return "{\"type\":\"job\",\"jobId\":\"" + jobId + "\",\"seq\":" + seq + "," + rest + "}";
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  private static Throwable failure(CompletableFuture<?> future) {
    ExecutionException thrown = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
      () -> future.get(10, TimeUnit.SECONDS));
    return thrown.getCause();
  }

  @Test
  void aSubmittedJobGivesItsEventsInOrderAndItsOutcome() throws Exception {
    connect(options().setToken("a-token-of-sixteen-chars"));
    assertThat(worker.connections.get(0).headers.get("authorization")).isEqualTo("Bearer a-token-of-sixteen-chars");

    CompletableFuture<SubmittedJob> submitted = client.submit(json("{\"op\":\"echo\",\"value\":1}"),
      new SubmitOptions().setTimeoutMs(500).setLogs(true));
    FakeWorkerSocket.Frame submit = worker.next("submit");
    assertThat(submit.json().getAsJsonObject("payload")).isEqualTo(json("{\"op\":\"echo\",\"value\":1}"));
    assertThat(submit.json().get("timeoutMs").getAsLong()).isEqualTo(500);
    assertThat(submit.json().get("logs").getAsBoolean()).isTrue();
    assertThat(submit.json().has("jobId")).isFalse();
    submit.reply("{\"type\":\"accepted\",\"jobId\":\"j1\"}");
    submit.conn().send(event("j1", 1, "\"event\":\"started\",\"pid\":7"));
    submit.conn().send(event("j1", 2, "\"event\":\"output\",\"data\":{\"i\":0}"));
    submit.conn().send(event("j1", 3, "\"event\":\"completed\",\"result\":{\"value\":1}"));

    SubmittedJob job = await(submitted);
    JobOutcome outcome = job.outcome().toCompletableFuture().get(10, TimeUnit.SECONDS);
    // subscribed after the job ended: the events were held for the first subscriber
    TestSubscriber<JobEvent> events = TestSubscriber.unbounded();
    job.events().subscribe(events);
    events.awaitEnd();

    assertThat(job.jobId()).isEqualTo("j1");
    assertThat(outcome.state()).isEqualTo(JobOutcome.State.COMPLETED);
    assertThat(outcome.result()).isEqualTo(json("{\"value\":1}"));
    assertThat(events.items).extracting(JobEvent::seq).containsExactly(1L, 2L, 3L);
    assertThat(events.items).extracting(JobEvent::type).containsExactly("started", "output", "completed");
    assertThat(events.items.get(1).json().getAsJsonObject("data")).isEqualTo(json("{\"i\":0}"));
    assertThat(events.completed).isTrue();
  }

  @Test
  void aRejectionFailsTheSubmitWithTheWorkersReason() throws Exception {
    connect(options());
    CompletableFuture<SubmittedJob> submitted = client.submit(json("{}"));
    worker.next("submit").reply("{\"type\":\"rejected\",\"reason\":\"full\",\"load\":0.9,\"threshold\":0.75,"
      + "\"message\":\"the load 0.90 is at or over the threshold 0.75\"}");

    Throwable failure = failure(submitted);
    assertThat(failure).isInstanceOf(JobRejectedException.class);
    JobRejectedException rejected = (JobRejectedException) failure;
    assertThat(rejected.reason()).isEqualTo("full");
    assertThat(rejected.load()).isEqualTo(0.9);
    assertThat(rejected.threshold()).isEqualTo(0.75);
    assertThat(rejected).hasMessageContaining("the load 0.90 is at or over the threshold 0.75");
  }

  @Test
  void anErrorFrameFailsTheRequestItAnswersWithItsCode() throws Exception {
    connect(options());
    CompletableFuture<SubmittedJob> watched = client.watch("nope");
    FakeWorkerSocket.Frame watch = worker.next("watch");
    assertThat(watch.json().get("fromSeq").getAsLong()).isZero();
    watch.reply("{\"type\":\"error\",\"code\":\"not-found\",\"message\":\"no job \\\"nope\\\"\"}");

    Throwable failure = failure(watched);
    assertThat(failure).isInstanceOf(WarmpoolException.class).hasMessage("no job \"nope\"");
    assertThat(((WarmpoolException) failure).code()).isEqualTo("not-found");
  }

  @Test
  void aWrongTokenFailsConnectNotTheFirstSubmit() throws Exception {
    worker.answerProbes = false;
    CompletableFuture<WarmpoolClient> connecting = WarmpoolClient.connect(options().setToken("wrong"));
    FakeWorkerSocket.Frame probe = worker.next("unsubscribe");
    // as the worker does: no answer to what the client sends, an error without ref, then a close
    probe.conn().send("{\"type\":\"error\",\"code\":\"unauthorized\",\"message\":\"this worker needs its token\"}");
    probe.conn().close(1008, "unauthorized");

    Throwable failure = failure(connecting);
    assertThat(((WarmpoolException) failure).code()).isEqualTo("unauthorized");
    assertThat(failure).hasMessageContaining("this worker needs its token").hasMessageContaining("ClientOptions.setToken");
  }

  @Test
  void nothingListeningFailsConnectAsUnreachable() throws Exception {
    worker.close();
    Throwable failure = failure(WarmpoolClient.connect(options()));
    assertThat(((WarmpoolException) failure).code()).isEqualTo("unreachable");
    assertThat(failure).hasMessageContaining("cannot connect to " + worker.url());
  }

  @Test
  void aRefusedUpgradeSaysWithWhichStatus() throws Exception {
    worker.refuseWith = 403;
    Throwable failure = failure(WarmpoolClient.connect(options()));
    assertThat(((WarmpoolException) failure).code()).isEqualTo("unreachable");
    assertThat(failure).hasMessageContaining("HTTP 403").hasMessageContaining("web.allowedHosts");
  }

  @Test
  void afterADropEachUnfinishedJobIsWatchedFromItsLastSeqAndNoEventComesTwice() throws Exception {
    connect(options());
    CompletableFuture<SubmittedJob> submitted = client.submit(json("{}"));
    FakeWorkerSocket.Frame submit = worker.next("submit");
    submit.reply("{\"type\":\"accepted\",\"jobId\":\"j1\"}");
    SubmittedJob job = await(submitted);
    TestSubscriber<JobEvent> events = TestSubscriber.unbounded();
    job.events().subscribe(events);
    submit.conn().send(event("j1", 1, "\"event\":\"started\""));
    submit.conn().send(event("j1", 2, "\"event\":\"output\",\"data\":2"));
    events.awaitItems(2);

    submit.conn().drop();
    FakeWorkerSocket.Frame watch = worker.next("watch");
    assertThat(worker.connections).hasSize(2);
    assertThat(watch.json().get("jobId").getAsString()).isEqualTo("j1");
    assertThat(watch.json().get("fromSeq").getAsLong()).isEqualTo(2);
    watch.reply("{\"type\":\"watching\",\"jobId\":\"j1\",\"fromSeq\":2,\"missedEvents\":0,\"job\":{}}");
    // a worker that replays too much: the client drops what it has seen
    watch.conn().send(event("j1", 2, "\"event\":\"output\",\"data\":2"));
    watch.conn().send(event("j1", 3, "\"event\":\"output\",\"data\":3"));
    watch.conn().send(event("j1", 4, "\"event\":\"completed\",\"result\":4"));
    events.awaitEnd();

    assertThat(events.items).extracting(JobEvent::seq).containsExactly(1L, 2L, 3L, 4L);
    assertThat(job.outcome().toCompletableFuture().get(10, TimeUnit.SECONDS).result().getAsInt()).isEqualTo(4);
  }

  @Test
  void aSubmitWithoutAJobIdOfTheCallersIsNotSentAgainAfterADrop() throws Exception {
    connect(options());
    CompletableFuture<SubmittedJob> submitted = client.submit(json("{}"));
    worker.next("submit").conn().drop();

    Throwable failure = failure(submitted);
    assertThat(((WarmpoolException) failure).code()).isEqualTo("connection-lost");
    assertThat(failure).hasMessageContaining("may or may not have been accepted").hasMessageContaining("SubmitOptions.setJobId");
    worker.awaitConnections(2);
    assertThat(worker.poll(200)).as("nothing sent again").isNull();
  }

  @Test
  void aSubmitWithTheCallersJobIdIsSentAgainAndADuplicateMeansTheFirstGotThrough() throws Exception {
    connect(options());
    CompletableFuture<SubmittedJob> submitted = client.submit(json("{}"), new SubmitOptions().setJobId("mine-1"));
    worker.next("submit").conn().drop();

    FakeWorkerSocket.Frame again = worker.next("submit");
    assertThat(again.json().get("jobId").getAsString()).isEqualTo("mine-1");
    again.reply("{\"type\":\"rejected\",\"reason\":\"duplicate\",\"load\":0,\"threshold\":0.75,\"message\":\"known\"}");
    FakeWorkerSocket.Frame watch = worker.next("watch");
    assertThat(watch.json().get("jobId").getAsString()).isEqualTo("mine-1");
    assertThat(watch.json().get("fromSeq").getAsLong()).isZero();
    watch.reply("{\"type\":\"watching\",\"jobId\":\"mine-1\",\"fromSeq\":0,\"missedEvents\":0,\"job\":{}}");
    watch.conn().send(event("mine-1", 1, "\"event\":\"started\""));
    watch.conn().send(event("mine-1", 2, "\"event\":\"cancelled\""));

    SubmittedJob job = await(submitted);
    assertThat(job.jobId()).isEqualTo("mine-1");
    assertThat(job.outcome().toCompletableFuture().get(10, TimeUnit.SECONDS).state()).isEqualTo(JobOutcome.State.CANCELLED);
  }

  @Test
  void aFirstSubmitRejectedAsDuplicateIsARejection() throws Exception {
    connect(options());
    CompletableFuture<SubmittedJob> submitted = client.submit(json("{}"), new SubmitOptions().setJobId("taken"));
    worker.next("submit").reply("{\"type\":\"rejected\",\"reason\":\"duplicate\",\"message\":\"a job taken is known\"}");
    assertThat(((JobRejectedException) failure(submitted)).reason()).isEqualTo("duplicate");
  }

  @Test
  void withoutReconnectADropFailsTheOutcomeOfEveryUnfinishedJob() throws Exception {
    connect(options().setReconnect(false));
    CompletableFuture<SubmittedJob> submitted = client.submit(json("{}"));
    FakeWorkerSocket.Frame submit = worker.next("submit");
    submit.reply("{\"type\":\"accepted\",\"jobId\":\"j1\"}");
    SubmittedJob job = await(submitted);
    submit.conn().close(1001, "going away");

    Throwable failure = failure(job.outcome().toCompletableFuture());
    assertThat(((WarmpoolException) failure).code()).isEqualTo("connection-lost");
    assertThat(failure).hasMessageContaining("1001 going away").hasMessageContaining("reconnect is off");
  }

  @Test
  void aCancelIsAnsweredByTheJobsTerminalEvent() throws Exception {
    connect(options());
    CompletableFuture<JobOutcome> cancelled = client.cancel("j9");
    FakeWorkerSocket.Frame cancel = worker.next("cancel");
    assertThat(cancel.json().get("jobId").getAsString()).isEqualTo("j9");
    cancel.conn().send(event("j9", 3, "\"event\":\"cancelled\""));
    assertThat(await(cancelled).state()).isEqualTo(JobOutcome.State.CANCELLED);
  }

  @Test
  void theClientAnswersTheWorkersPings() throws Exception {
    connect(options());
    worker.connections.get(0).ping("warmpool");
    assertThat(worker.pongs.poll(10, TimeUnit.SECONDS)).isEqualTo("warmpool");
  }

  @Test
  void aRequestWithoutAnswerFailsAfterTheRequestTimeout() throws Exception {
    connect(options().setRequestTimeout(Duration.ofMillis(300)));
    CompletableFuture<SubmittedJob> submitted = client.submit(json("{}"));
    worker.next("submit");
    Throwable failure = failure(submitted);
    assertThat(((WarmpoolException) failure).code()).isEqualTo("timeout");
    assertThat(failure).hasMessageContaining("300 ms").hasMessageContaining("may still have accepted");
  }

  @Test
  void aSubmitOverTheFrameLimitFailsWithoutBeingSent() throws Exception {
    connect(options());
    JsonObject payload = new JsonObject();
    payload.addProperty("blob", "x".repeat(70_000));
    Throwable failure = failure(client.submit(payload));
    assertThat(((WarmpoolException) failure).code()).isEqualTo("too-large");
    assertThat(failure).hasMessageContaining("65536");
    assertThat(worker.poll(200)).isNull();
  }

  @Test
  void thePoolStateIsSubscribedWhileItHasASubscriberAndAgainAfterADrop() throws Exception {
    connect(options());
    TestSubscriber<JsonObject> states = TestSubscriber.unbounded();
    client.poolState().subscribe(states);
    FakeWorkerSocket.Frame subscribe = worker.next("subscribe");
    assertThat(subscribe.json().get("topic").getAsString()).isEqualTo("pool");
    subscribe.reply("{\"type\":\"state\",\"status\":\"available\",\"activeJobs\":0}");
    subscribe.conn().send("{\"type\":\"state\",\"status\":\"full\",\"activeJobs\":3}");
    states.awaitItems(2);

    subscribe.conn().drop();
    FakeWorkerSocket.Frame again = worker.next("subscribe");
    again.reply("{\"type\":\"state\",\"status\":\"available\",\"activeJobs\":1}");
    states.awaitItems(3);
    states.subscription.cancel();
    assertThat(worker.next("unsubscribe").conn()).isSameAs(again.conn());

    assertThat(states.items).extracting(s -> s.get("status").getAsString()).containsExactly("available", "full", "available");
    assertThat(states.items.get(0).has("ref")).isFalse();
  }

  @Test
  void closeFailsWhatWaitsAndCompletesThePoolState() throws Exception {
    connect(options());
    CompletableFuture<SubmittedJob> submitted = client.submit(json("{}"));
    FakeWorkerSocket.Frame submit = worker.next("submit");
    submit.reply("{\"type\":\"accepted\",\"jobId\":\"j1\"}");
    SubmittedJob job = await(submitted);
    CompletableFuture<SubmittedJob> unanswered = client.watch("j2");
    worker.next("watch");
    TestSubscriber<JsonObject> states = TestSubscriber.unbounded();
    client.poolState().subscribe(states);
    worker.next("subscribe");

    client.close();

    for (Throwable failure : List.of(failure(job.outcome().toCompletableFuture()), failure(unanswered))) {
      assertThat(((WarmpoolException) failure).code()).isEqualTo("closed");
    }
    assertThat(failure(job.outcome().toCompletableFuture())).hasMessageContaining("goes on on the worker");
    states.awaitEnd();
    assertThat(states.completed).isTrue();
    assertThatThrownBy(() -> client.submit(json("{}")).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(WarmpoolException.class);
  }
}
