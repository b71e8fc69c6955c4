package io.warmpool.client;

import com.google.gson.JsonObject;
import io.warmpool.Await;
import io.warmpool.InProcessWorker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.stream.LongStream;

import static io.warmpool.client.ClientCalls.await;
import static io.warmpool.client.ClientCalls.failure;
import static io.warmpool.client.ClientCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java client (clients/java) against a real worker: the pool with real children, the web
 * verticle on 127.0.0.1, the demo job. Reconnects, tokens and pings: {@link WarmpoolClientConnectionTest}.
 */
class WarmpoolClientTest {

  private static InProcessWorker worker;
  private final List<WarmpoolClient> clients = new ArrayList<>();

  @BeforeAll
  static void startWorker() throws Exception {
    worker = InProcessWorker.start(new io.vertx.core.json.JsonObject());
  }

  @AfterAll
  static void stopWorker() throws Exception {
    worker.close();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(WarmpoolClient::close);
  }

  private WarmpoolClient connect(InProcessWorker to, ClientOptions options) throws Exception {
    WarmpoolClient client = await(WarmpoolClient.connect(options.setUrl(to.url())));
    clients.add(client);
    return client;
  }

  private WarmpoolClient connect() throws Exception {
    return connect(worker, new ClientOptions());
  }

  @Test
  void aJobCompletesWithItsEventsInOrderAndItsResult() throws Exception {
    SubmittedJob job = await(connect().submit(json("{\"op\":\"echo\",\"value\":\"hi\",\"outputs\":3}")));
    EventRecorder events = EventRecorder.allOf(job);
    JobOutcome outcome = await(job.outcome());
    events.awaitEnd();

    assertThat(outcome.state()).isEqualTo(JobOutcome.State.COMPLETED);
    assertThat(outcome.result()).isEqualTo(json("{\"value\":\"hi\"}"));
    assertThat(events.types()).containsExactly("started", "output", "output", "output", "completed");
    assertThat(events.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(events.items.get(2).json().getAsJsonObject("data")).isEqualTo(json("{\"i\":1,\"value\":\"hi\"}"));
    assertThat(events.items).allSatisfy(e -> assertThat(e.jobId()).isEqualTo(job.jobId()));
  }

  @Test
  void aJobThatThrowsFailsWithReasonAndMessage() throws Exception {
    SubmittedJob job = await(connect().submit(json("{\"op\":\"fly\"}")));
    JobOutcome outcome = await(job.outcome());

    assertThat(outcome.state()).isEqualTo(JobOutcome.State.FAILED);
    assertThat(outcome.reason()).isEqualTo("error");
    assertThat(outcome.message()).contains("unknown op 'fly'");
    assertThat(outcome.result()).isNull();
  }

  @Test
  void aSecondJobWithTheSameIdIsRejectedAsDuplicate() throws Exception {
    WarmpoolClient client = connect();
    String jobId = "dup-" + UUID.randomUUID();
    await(await(client.submit(json("{\"op\":\"echo\"}"), new SubmitOptions().setJobId(jobId))).outcome());

    WarmpoolException failure = failure(client.submit(json("{\"op\":\"echo\"}"), new SubmitOptions().setJobId(jobId)));
    assertThat(failure).isInstanceOf(JobRejectedException.class);
    assertThat(((JobRejectedException) failure).reason()).isEqualTo("duplicate");
    assertThat(((JobRejectedException) failure).threshold()).isEqualTo(0.75);
  }

  @Test
  void aBadSubmissionFailsNamingTheField() throws Exception {
    WarmpoolException failure = failure(connect().submit(json("{}"), new SubmitOptions().setJobId("no spaces")));
    assertThat(failure.code()).isEqualTo("bad-request");
    assertThat(failure).hasMessageContaining("jobId must be");
  }

  @Test
  void aCancelEndsARunningJobAndBothTheCancelAndTheOutcomeSaySo() throws Exception {
    WarmpoolClient client = connect();
    SubmittedJob job = await(client.submit(json("{\"op\":\"sleep\",\"ms\":60000}")));
    EventRecorder events = EventRecorder.allOf(job);
    events.awaitType("started");

    JobOutcome cancelled = await(client.cancel(job.jobId()));
    assertThat(cancelled.state()).isEqualTo(JobOutcome.State.CANCELLED);
    assertThat(await(job.outcome()).state()).isEqualTo(JobOutcome.State.CANCELLED);
    events.awaitEnd();
    assertThat(events.types()).containsExactly("started", "cancelled");
    // a cancel of a job that has ended answers how it ended
    assertThat(await(client.cancel(job.jobId())).state()).isEqualTo(JobOutcome.State.CANCELLED);
  }

  @Test
  void aCancelOfAnUnknownJobFailsNotFound() throws Exception {
    assertThat(failure(connect().cancel("never-" + UUID.randomUUID())).code()).isEqualTo("not-found");
  }

  @Test
  void anotherClientWatchesAJobFromItsFirstEventOrFromAGivenSeq() throws Exception {
    SubmittedJob job = await(connect().submit(json("{\"op\":\"echo\",\"value\":1,\"outputs\":2}")));
    await(job.outcome());

    WarmpoolClient other = connect();
    SubmittedJob watched = await(other.watch(job.jobId()));
    EventRecorder all = EventRecorder.allOf(watched);
    SubmittedJob fromTwo = await(other.watch(job.jobId(), 2));
    EventRecorder rest = EventRecorder.allOf(fromTwo);
    all.awaitEnd();
    rest.awaitEnd();

    assertThat(all.types()).containsExactly("started", "output", "output", "completed");
    assertThat(rest.seqs()).containsExactly(3L, 4L);
    assertThat(await(watched.outcome()).result()).isEqualTo(json("{\"value\":1}"));
    assertThat(failure(other.watch("never-" + UUID.randomUUID())).code()).isEqualTo("not-found");
  }

  @Test
  void aSubscriberGetsWhatItRequestsOneAtATimeInOrder() throws Exception {
    SubmittedJob job = await(connect().submit(json("{\"op\":\"echo\",\"value\":0,\"outputs\":40}")));
    EventRecorder events = new EventRecorder(0);
    job.events().subscribe(events);
    await(job.outcome());

    for (int n = 1; n <= 42; n++) {
      events.request(1);
      int expected = n;
      Await.waitFor(expected + " events", () -> events.items.size() >= expected);
      assertThat(events.items).as("no more than requested").hasSize(expected);
      assertThat(events.overRequested).isFalse();
    }
    events.awaitEnd();
    assertThat(events.seqs()).containsExactlyElementsOf(LongStream.rangeClosed(1, 42).boxed().toList());
    assertThat(events.completed).isTrue();
  }

  @Test
  void aSubscriberThatFallsBehindItsBufferGetsAllBeforeTheOverflowAndResumesByWatch() throws Exception {
    WarmpoolClient client = connect(worker, new ClientOptions().setEventBufferSize(8));
    SubmittedJob job = await(client.submit(json("{\"op\":\"echo\",\"value\":0,\"outputs\":30}")));
    EventRecorder slow = new EventRecorder(0);
    job.events().subscribe(slow);
    await(job.outcome());

    slow.request(Long.MAX_VALUE);
    slow.awaitEnd();
    assertThat(slow.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(slow.error).isInstanceOf(EventBufferOverflowException.class);
    long lastSeq = ((EventBufferOverflowException) slow.error).lastSeq();
    assertThat(lastSeq).isEqualTo(8);

    // the rest, by a client whose buffer holds what the worker replays (eventBufferSize >= job.maxEventsKept)
    EventRecorder rest = EventRecorder.allOf(await(connect().watch(job.jobId(), lastSeq)));
    rest.awaitEnd();
    assertThat(rest.seqs()).containsExactlyElementsOf(LongStream.rangeClosed(9, 32).boxed().toList());
  }

  @Test
  void thePoolStateComesFirstAtOnceThenOnChange() throws Exception {
    WarmpoolClient client = connect();
    Flow.Publisher<JsonObject> states = client.poolState();
    List<JsonObject> seen = new CopyOnWriteArrayList<>();
    states.subscribe(new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(JsonObject item) {
        seen.add(item);
      }

      @Override
      public void onError(Throwable throwable) {
      }

      @Override
      public void onComplete() {
      }
    });
    Await.waitFor("a first state", () -> !seen.isEmpty());
    assertThat(seen.get(0).get("type").getAsString()).isEqualTo("state");
    assertThat(seen.get(0).has("status")).isTrue();
    assertThat(seen.get(0).has("ref")).isFalse();

    // a job long enough to be seen running: states are coalesced (20 ms) and sent at most every 50 ms
    SubmittedJob job = await(client.submit(json("{\"op\":\"sleep\",\"ms\":500}")));
    Await.waitFor("a state with the job running", () -> seen.stream().anyMatch(s -> s.get("activeJobs").getAsInt() > 0));
    await(job.outcome());
  }
}
