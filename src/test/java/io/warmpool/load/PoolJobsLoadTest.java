package io.warmpool.load;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.Await;
import io.warmpool.bus.Addresses;
import io.warmpool.config.ConfigLoader;
import io.warmpool.config.WorkerConfig;
import io.warmpool.pool.PoolVerticle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool verticle deployed on its own, as an application embedding it would, with
 * {@code load.source} jobs: its own load verticle counts the pool's jobs where they are, with no
 * worker verticle and no pool-state stream in between.
 */
@ExtendWith(VertxExtension.class)
class PoolJobsLoadTest {

  @Test
  void aPoolDeployedAlonePublishesALoadThatFollowsItsJobs(Vertx vertx) throws Exception {
    WorkerConfig config = ConfigLoader.fromJson(new JsonObject()
      .put("load", new JsonObject().put("source", "jobs").put("intervalMs", 20).put("window", 1))
      .put("pool", new JsonObject().put("maxIdle", 1).put("maxProcesses", 2)), Map.of());
    List<JsonObject> samples = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().localConsumer(Addresses.DEFAULT.load(), msg -> samples.add(msg.body()));
    Await.await(consumer.completion());
    String pool = Await.await(vertx.deployVerticle(new PoolVerticle(config, new SimpleMeterRegistry())));
    try {
      Await.waitFor("a sample of an idle pool", () -> lastLoad(samples) == 0.0);
      assertThat(samples.get(samples.size() - 1).getString("source")).isEqualTo("jobs");
      assertThat(samples.get(samples.size() - 1).getDouble("loadPerJob")).isEqualTo(0.5);

      JsonObject accepted = Await.await(vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.jobsSubmit(), new JsonObject()
        .put("payload", new JsonObject().put("op", "sleep").put("ms", 60_000))).map(msg -> msg.body()));
      assertThat(accepted.getString("type")).as("reply %s", accepted).isEqualTo("accepted");
      Await.waitFor("the load of one job of two", () -> lastLoad(samples) == 0.5);

      Await.await(vertx.eventBus().request(Addresses.DEFAULT.jobsCancel(), new JsonObject().put("jobId", accepted.getString("jobId"))));
      Await.waitFor("the load back to 0 once the job has ended", () -> lastLoad(samples) == 0.0);
    } finally {
      Await.await(vertx.undeploy(pool));
      Await.await(consumer.unregister());
    }
    assertThat(vertx.deploymentIDs()).as("the load verticle is undeployed with the pool").isEmpty();
  }

  private static double lastLoad(List<JsonObject> samples) {
    return samples.isEmpty() ? -1 : samples.get(samples.size() - 1).getDouble("load");
  }
}
