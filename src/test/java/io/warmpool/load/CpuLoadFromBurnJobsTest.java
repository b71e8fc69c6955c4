package io.warmpool.load;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.Await;
import io.warmpool.bus.Addresses;
import io.warmpool.config.ConfigLoader;
import io.warmpool.embed.Warmpool;
import io.warmpool.embed.WarmpoolOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The whole worker on the real cpu source: jobs that burn CPU in child processes raise the load it publishes. */
@ExtendWith(VertxExtension.class)
class CpuLoadFromBurnJobsTest {

  @Test
  void burnJobsRaiseTheCpuLoad(Vertx vertx) throws Exception {
    var config = ConfigLoader.fromJson(new JsonObject()
      .put("web", new JsonObject().put("port", 0))
      .put("load", new JsonObject().put("source", "cpu").put("intervalMs", 1000).put("window", 1).put("threshold", 1.0))
      .put("pool", new JsonObject().put("maxIdle", 2))
      // undeploying drains: the burn jobs need not run to their end once the load is seen
      .put("drain", new JsonObject().put("timeoutMs", 100)), Map.of());
    List<Double> samples = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>localConsumer(Addresses.DEFAULT.load(), msg -> samples.add(msg.body().getDouble("load")));
    Warmpool worker = Await.await(Warmpool.deploy(vertx, new WarmpoolOptions().setConfig(config).setWeb(true)));
    try {
      // submitted before the first sample (one interval after start), so a busy machine cannot reject them
      for (int i = 0; i < 2; i++) {
        JsonObject reply = Await.await(vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.jobsSubmit(),
          new JsonObject().put("payload", new JsonObject().put("op", "burn").put("ms", 4000)))).body();
        // only a machine already saturated by something else makes a worker at threshold 1.0 full:
        // then there is nothing this test can show
        assumeTrue("accepted".equals(reply.getString("type")), () -> "the machine is saturated already: " + reply);
      }

      Await.waitFor("a cpu load sample over 0.6 while two cores burn", Duration.ofSeconds(10),
        () -> samples.stream().anyMatch(load -> load > 0.6));
    } finally {
      Await.await(worker.close());
    }
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count()).isZero();
  }
}
