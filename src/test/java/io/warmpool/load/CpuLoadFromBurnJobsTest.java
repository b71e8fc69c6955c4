package io.warmpool.load;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.WorkerVerticle;
import io.warmpool.bus.Addresses;
import io.warmpool.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The whole worker on the real cpu source: jobs that burn CPU in child processes raise the load it publishes. */
@ExtendWith(VertxExtension.class)
class CpuLoadFromBurnJobsTest {

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void burnJobsRaiseTheCpuLoad(Vertx vertx) throws Exception {
    var config = ConfigLoader.fromJson(new JsonObject()
      .put("web", new JsonObject().put("port", 0))
      .put("load", new JsonObject().put("source", "cpu").put("intervalMs", 1000).put("window", 1).put("threshold", 1.0))
      .put("pool", new JsonObject().put("maxIdle", 2)), Map.of());
    List<Double> samples = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>localConsumer(Addresses.LOAD, msg -> samples.add(msg.body().getDouble("load")));
    String worker = await(vertx.deployVerticle(new WorkerVerticle(config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))));
    try {
      // submitted before the first sample (one interval after start), so a busy machine cannot reject them
      for (int i = 0; i < 2; i++) {
        JsonObject reply = await(vertx.eventBus().<JsonObject>request(Addresses.JOBS_SUBMIT,
          new JsonObject().put("payload", new JsonObject().put("op", "burn").put("ms", 4000)))).body();
        // only a machine already saturated by something else makes a worker at threshold 1.0 full:
        // then there is nothing this test can show
        assumeTrue("accepted".equals(reply.getString("type")), () -> "the machine is saturated already: " + reply);
      }

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (samples.stream().noneMatch(load -> load > 0.6) && System.nanoTime() < deadline) {
        // polling interval of the condition, not a wait for the outcome itself
        Thread.sleep(50);
      }
      assertThat(samples).as("cpu load samples while two cores burn").anyMatch(load -> load > 0.6);
    } finally {
      await(vertx.undeploy(worker));
    }
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count()).isZero();
  }
}
