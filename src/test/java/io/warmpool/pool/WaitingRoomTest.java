package io.warmpool.pool;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.bus.Addresses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static io.warmpool.pool.PoolFixture.await;
import static io.warmpool.pool.PoolFixture.pairs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client with many jobs in flight at load 0: the pool's waiting room
 * ({@code pool.maxWaitingJobs}) decides how many may wait for a process; beyond it a submission
 * is rejected {@code capacity} with a message that names the key and its value, never
 * {@code full}. Submissions over the bus, all at once, to in-memory children.
 */
@ExtendWith(VertxExtension.class)
class WaitingRoomTest {

  private static final int IN_FLIGHT = 64;

  private PoolFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void withTheDefaultsJobsBeyondTheWaitingRoomAreRejectedCapacityNamingTheKey(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, new JsonObject());
    assertThat(fixture.config.pool().maxWaitingJobs()).as("auto: pool.maxProcesses").isEqualTo(16);

    List<JsonObject> replies = submitAllAtOnce(vertx);

    List<JsonObject> accepted = replies.stream().filter(r -> "accepted".equals(r.getString("type"))).toList();
    List<JsonObject> rejected = replies.stream().filter(r -> "rejected".equals(r.getString("type"))).toList();
    assertThat(accepted.size()).as("the 16 of the waiting room, and those handed over at once").isGreaterThanOrEqualTo(16);
    assertThat(rejected).as("the rest").isNotEmpty().hasSize(IN_FLIGHT - accepted.size());
    for (JsonObject rejection : rejected) {
      assertThat(rejection.getString("reason")).as("at load 0: %s", rejection).isEqualTo("capacity");
      assertThat(rejection.getDouble("load")).isZero();
      assertThat(rejection.getString("message"))
        .isEqualTo("16 jobs are already waiting for a process: pool.maxWaitingJobs is 16; raise it to let more wait"
          + " (each may hold up to 1 MiB of payload in the worker's heap, docs/operations.md)");
    }
    assertAllComplete(accepted);
  }

  @Test
  void aWaitingRoomAsLargeAsTheJobsInFlightTakesThemAll(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, PoolFixture.pool("maxWaitingJobs", IN_FLIGHT));

    List<JsonObject> replies = submitAllAtOnce(vertx);

    assertThat(replies).allSatisfy(reply -> assertThat(reply.getString("type")).as("%s", reply).isEqualTo("accepted"));
    assertAllComplete(replies);
  }

  /** Sends every submission before any reply can come: the pool's event loop takes them one after another. */
  private static List<JsonObject> submitAllAtOnce(Vertx vertx) throws Exception {
    List<Future<JsonObject>> requests = new ArrayList<>();
    for (int i = 0; i < IN_FLIGHT; i++) {
      requests.add(vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.jobsSubmit(),
        new JsonObject().put("payload", pairs("op", "sleep", "ms", 20))).map(Message::body));
    }
    await(Future.all(requests));
    return requests.stream().map(Future::result).toList();
  }

  private void assertAllComplete(List<JsonObject> accepted) throws Exception {
    for (JsonObject reply : accepted) {
      assertThat(fixture.awaitTerminal(reply.getString("jobId")).getString("event")).isEqualTo("completed");
    }
  }
}
