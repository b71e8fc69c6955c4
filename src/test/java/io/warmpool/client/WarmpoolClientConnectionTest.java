package io.warmpool.client;

import io.vertx.core.json.JsonObject;
import io.warmpool.Await;
import io.warmpool.InProcessWorker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static io.warmpool.client.ClientCalls.await;
import static io.warmpool.client.ClientCalls.failure;
import static io.warmpool.client.ClientCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The Java client's connection to a real worker: a reconnect in the middle of a job, the token, the pings. */
class WarmpoolClientConnectionTest {

  @Test
  void aJobThatEmitsWhileTheWebVerticleRestartsLosesNoEventAndRepeatsNone() throws Exception {
    try (InProcessWorker worker = InProcessWorker.start(new JsonObject()
      .put("child", new JsonObject().put("entrypoint", "io.warmpool.pool.TestEntrypoints$Ticker")));
         WarmpoolClient client = await(WarmpoolClient.connect(new ClientOptions().setUrl(worker.url())
           .setReconnectMinDelay(Duration.ofMillis(50))))) {
      SubmittedJob job = await(client.submit(json("{\"ticks\":30,\"everyMs\":50}")));
      EventRecorder events = EventRecorder.allOf(job);
      Await.waitFor("a few ticks", () -> events.items.size() >= 4);

      // every connection ends with the web verticle, which stops hearing job events; the job goes
      // on in the pool, so its later events reach the client only over a new connection
      worker.restartWeb();
      JobOutcome outcome = await(job.outcome());
      events.awaitEnd();

      assertThat(outcome.result()).isEqualTo(json("{\"ticks\":30}"));
      assertThat(events.seqs()).as("each event once, in order").containsExactlyElementsOf(LongStream.rangeClosed(1, 32).boxed().toList());
      assertThat(events.items.subList(1, 31)).extracting(e -> e.json().getAsJsonObject("data").get("tick").getAsInt())
        .containsExactlyElementsOf(IntStream.range(0, 30).boxed().toList());
    }
  }

  @Test
  void aWrongTokenFailsConnectAndTheRightOneIsServedAcrossThePings() throws Exception {
    String token = "a-token-of-more-than-16";
    try (InProcessWorker worker = InProcessWorker.start(new JsonObject()
      .put("web", new JsonObject().put("token", token).put("pingIntervalMs", 100).put("pingTimeoutMs", 400)))) {
      WarmpoolException refused = failure(WarmpoolClient.connect(new ClientOptions().setUrl(worker.url()).setToken("wrong-token-wrong-token")));
      assertThat(refused.code()).isEqualTo("unauthorized");
      assertThat(refused).hasMessageContaining("needs its token").hasMessageContaining("ClientOptions.setToken");
      assertThat(failure(WarmpoolClient.connect(new ClientOptions().setUrl(worker.url()))).code()).isEqualTo("unauthorized");

      try (WarmpoolClient client = await(WarmpoolClient.connect(new ClientOptions().setUrl(worker.url()).setToken(token)
        .setReconnect(false)))) {
        long since = System.nanoTime();
        // the worker closes a client whose pong is older than 400 ms: several such spans pass here
        Await.waitFor("1.5 s of pings", () -> System.nanoTime() - since > Duration.ofMillis(1500).toNanos());
        SubmittedJob job = await(client.submit(json("{\"op\":\"echo\",\"value\":2}")));
        assertThat(await(job.outcome()).state()).isEqualTo(JobOutcome.State.COMPLETED);
        assertThat(worker.metric("warmpool.ws.silent.closed")).as("clients closed for want of a pong").isZero();
        assertThat(worker.metric("warmpool.web.refused")).as("the two connects without the token").isEqualTo(2);
      }
    }
  }
}
