package io.warmpool.web;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.Await;
import io.warmpool.bus.Addresses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code PUT /load}: an outside party sets the load of a worker whose load source is external.
 * The pool's own load verticle takes the value and publishes it on {@code warmpool.load}, which
 * is where these tests read it back.
 */
@ExtendWith(VertxExtension.class)
class LoadEndpointTest {

  private WebFixture worker;
  private final List<Double> published = new CopyOnWriteArrayList<>();
  private MessageConsumer<JsonObject> samples;

  @AfterEach
  void close() throws Exception {
    if (samples != null) {
      WebFixture.await(samples.unregister());
    }
    if (worker != null) {
      worker.close();
    }
  }

  private void start(Vertx vertx, JsonObject overrides) throws Exception {
    worker = new WebFixture(vertx, overrides.copy().put("load", new JsonObject()
      .put("source", "external").put("window", 1).put("intervalMs", 20)));
    samples = vertx.eventBus().localConsumer(Addresses.DEFAULT.load(), msg -> published.add(msg.body().getDouble("raw")));
    WebFixture.await(samples.completion());
  }

  /** Waits until the pool's load timer publishes {@code load}, then forgets what it published so far. */
  private void awaitPublished(double load) throws Exception {
    Await.waitFor("a published load of " + load, () -> published.contains(load));
    published.clear();
  }

  @Test
  void setsTheExternalLoadFromANumberOrAnObject(Vertx vertx) throws Exception {
    start(vertx, new JsonObject());

    WebFixture.Response number = worker.put("/load", null, "0.8");
    assertThat(number.status()).isEqualTo(200);
    assertThat(number.json().getDouble("load")).isEqualTo(0.8);
    awaitPublished(0.8);

    WebFixture.Response object = worker.put("/load", null, "{\"load\":0.25}");
    assertThat(object.status()).isEqualTo(200);
    awaitPublished(0.25);
  }

  @Test
  void refusesWhatIsNotALoadAndLeavesTheLoadAsItWas(Vertx vertx) throws Exception {
    start(vertx, new JsonObject());
    worker.put("/load", null, "0.5");
    awaitPublished(0.5);

    for (String body : new String[] {"", "high", "{\"load\":\"high\"}", "[0.9]"}) {
      WebFixture.Response response = worker.put("/load", null, body);
      assertThat(response.status()).as("PUT /load with '%s'", body).isEqualTo(400);
      assertThat(response.json().getString("error")).as("PUT /load with '%s'", body).contains("0..1");
    }
    int before = published.size();
    Await.waitFor("a sample after the refused bodies", () -> published.size() > before);
    assertThat(published).containsOnly(0.5);
  }

  @Test
  void needsTheTokenWhenOneIsSet(Vertx vertx) throws Exception {
    start(vertx, new JsonObject().put("web", new JsonObject().put("token", "s3cret-t0ken-0123")));

    assertThat(worker.put("/load", null, "0.7").status()).isEqualTo(401);
    assertThat(worker.put("/load", "s3cret-t0ken-0123", "0.9").status()).isEqualTo(200);
    Await.waitFor("a published load of 0.9", () -> published.contains(0.9));
    assertThat(published).as("the load without the token was not taken").containsOnly(0.9);
  }

  @Test
  void isRefusedWhenTheWorkerMeasuresItsOwnLoad(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("load", new JsonObject().put("source", "cpu")));

    WebFixture.Response response = worker.put("/load", null, "0.9");

    assertThat(response.status()).isEqualTo(409);
    assertThat(response.json().getString("error")).contains("load.source is cpu");
  }
}
