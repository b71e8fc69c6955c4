package io.warmpool.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.load.ExternalLoadSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code PUT /load}: an outside party sets the load of a worker whose load source is external. */
@ExtendWith(VertxExtension.class)
class LoadEndpointTest {

  private WebFixture worker;
  private ExternalLoadSource source;

  @AfterEach
  void close() throws Exception {
    if (source != null) {
      source.close();
    }
    if (worker != null) {
      worker.close();
    }
  }

  private void start(Vertx vertx, JsonObject overrides) throws Exception {
    worker = new WebFixture(vertx, overrides);
    source = new ExternalLoadSource(vertx);
    WebFixture.await(source.registered());
  }

  @Test
  void setsTheExternalLoadFromANumberOrAnObject(Vertx vertx) throws Exception {
    start(vertx, new JsonObject());

    WebFixture.Response number = worker.put("/load", null, "0.8");
    assertThat(number.status()).isEqualTo(200);
    assertThat(number.json().getDouble("load")).isEqualTo(0.8);
    assertThat(source.sample()).isEqualTo(0.8);

    WebFixture.Response object = worker.put("/load", null, "{\"load\":0.25}");
    assertThat(object.status()).isEqualTo(200);
    assertThat(source.sample()).isEqualTo(0.25);
  }

  @Test
  void refusesWhatIsNotALoadAndLeavesTheLoadAsItWas(Vertx vertx) throws Exception {
    start(vertx, new JsonObject());
    worker.put("/load", null, "0.5");

    for (String body : new String[] {"", "high", "{\"load\":\"high\"}", "[0.9]"}) {
      WebFixture.Response response = worker.put("/load", null, body);
      assertThat(response.status()).as("PUT /load with '%s'", body).isEqualTo(400);
      assertThat(response.json().getString("error")).as("PUT /load with '%s'", body).contains("0..1");
    }
    assertThat(source.sample()).isEqualTo(0.5);
  }

  @Test
  void needsTheTokenWhenOneIsSet(Vertx vertx) throws Exception {
    start(vertx, new JsonObject().put("web", new JsonObject().put("token", "s3cret")));

    assertThat(worker.put("/load", null, "0.9").status()).isEqualTo(401);
    assertThat(source.sample()).isZero();
    assertThat(worker.put("/load", "s3cret", "0.9").status()).isEqualTo(200);
    assertThat(source.sample()).isEqualTo(0.9);
  }

  @Test
  void isRefusedWhenTheWorkerMeasuresItsOwnLoad(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("load", new JsonObject().put("source", "cpu")));

    WebFixture.Response response = worker.put("/load", null, "0.9");

    assertThat(response.status()).isEqualTo(409);
    assertThat(response.json().getString("error")).contains("load.source is cpu");
  }
}
