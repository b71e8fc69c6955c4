package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.BusFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.ExecutionException;

import static io.warmpool.Await.await;
import static io.warmpool.pool.PoolFixture.pairs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A job's events are numbered and kept, within bounds, for a client that comes back; dropped records say so. */
@ExtendWith(VertxExtension.class)
class JobEventsReplayTest {

  private PoolFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  private JsonObject get(String jobId, Long fromSeq) throws Exception {
    JsonObject request = new JsonObject().put("jobId", jobId);
    if (fromSeq != null) {
      request.put("fromSeq", fromSeq);
    }
    return await(fixture.vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.jobsGet(), request).map(m -> m.body()));
  }

  private String completedJob(int outputs) throws Exception {
    String jobId = fixture.run(pairs("op", "echo", "outputs", outputs));
    assertThat(fixture.awaitTerminal(jobId).getString("event")).isEqualTo("completed");
    return jobId;
  }

  @Test
  void everyEventIsNumberedAndAClientGetsWhatCameAfterTheLastItSaw(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, new JsonObject().put("pool", pairs("maxIdle", 1)));

    String jobId = completedJob(5);

    assertThat(fixture.events(jobId)).extracting(e -> e.getLong("seq")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    JsonObject record = get(jobId, 3L);
    assertThat(record.getLong("lastSeq")).isEqualTo(7);
    assertThat(record.getLong("missedEvents")).isZero();
    assertThat(record.getJsonArray("events").stream().map(e -> ((JsonObject) e).getLong("seq"))).containsExactly(4L, 5L, 6L, 7L);
    assertThat(record.getJsonArray("events").getJsonObject(3)).isEqualTo(fixture.awaitTerminal(jobId));
    assertThat(get(jobId, null).containsKey("events")).as("without fromSeq, the record alone").isFalse();
  }

  @Test
  void beyondTheBoundTheOldestEventsGoAndTheReplaySaysHowManyWereMissed(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, new JsonObject().put("pool", pairs("maxIdle", 1)).put("job", pairs("maxEventsKept", 3)));

    String jobId = completedJob(5);

    JsonObject record = get(jobId, 1L);
    assertThat(record.getJsonArray("events").stream().map(e -> ((JsonObject) e).getLong("seq"))).containsExactly(5L, 6L, 7L);
    assertThat(record.getLong("missedEvents")).as("seqs 2 to 4").isEqualTo(3);
  }

  @Test
  void aDroppedRecordIsGoneNotUnknown(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, new JsonObject().put("pool", pairs("maxIdle", 1)).put("job", pairs("maxRecords", 1)));

    String first = completedJob(0);
    String second = completedJob(0);

    assertThat(get(second, null).getString("state")).isEqualTo("completed");
    assertThat(failureCode(first)).isEqualTo(BusFailure.GONE);
    assertThat(failureCode("never-submitted")).isEqualTo(BusFailure.NOT_FOUND);
  }

  private int failureCode(String jobId) {
    Throwable failure = catchThrowable(() -> get(jobId, null));
    assertThat(failure).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ReplyException.class);
    return ((ReplyException) failure.getCause()).failureCode();
  }
}
