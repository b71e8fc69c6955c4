package io.warmpool.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /worker}: the pool's state and the configuration in force, secrets masked. */
@ExtendWith(VertxExtension.class)
class WorkerEndpointTest {

  @Test
  void showsTheConfigInForceWithTheTokenMasked(Vertx vertx) throws Exception {
    try (WebFixture worker = new WebFixture(vertx, new JsonObject()
      .put("web", new JsonObject().put("token", "s3cret-t0ken-0123"))
      .put("pool", new JsonObject().put("maxIdle", 1).put("maxProcesses", 3)))) {
      WebFixture.Response response = worker.get("/worker", "s3cret-t0ken-0123");

      assertThat(response.status()).isEqualTo(200);
      JsonObject body = response.json();
      assertThat(body.getString("status")).isEqualTo("available");
      JsonObject config = body.getJsonObject("config");
      assertThat(config.fieldNames()).contains("web", "pool", "load", "job", "drain", "child", "cluster");
      assertThat(config.getJsonObject("pool").getInteger("maxProcesses")).isEqualTo(3);
      assertThat(config.getJsonObject("load").getInteger("maxJobs")).as("derived from pool.maxProcesses").isEqualTo(3);
      assertThat(config.getJsonObject("web").getBoolean("tokenSet")).isTrue();
      assertThat(config.getJsonObject("web").containsKey("token")).isFalse();
      assertThat(response.body()).doesNotContain("s3cret-t0ken-0123");
    }
  }
}
