package io.warmpool.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.WsClient;
import io.warmpool.bus.HopTrace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code job.traceHops}: a started event says when each hop of the job's way was passed, in order. */
@ExtendWith(VertxExtension.class)
class HopTraceTest {

  private WebFixture worker;

  @AfterEach
  void close() throws Exception {
    if (worker != null) {
      worker.close();
    }
  }

  private static JsonObject submit(String ref) {
    return new JsonObject().put("op", "submit").put("ref", ref).put("jobId", ref)
      .put("payload", new JsonObject().put("op", "echo").put("value", ref));
  }

  @Test
  void aTracedStartSaysWhenEachHopWasPassedBetweenTheClientsSendAndRead(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("job", new JsonObject().put("traceHops", true)));
    WsClient client = worker.client();

    long sent = System.nanoTime();
    client.send(submit("traced"));
    JsonObject started = client.event("traced", "started");
    long read = System.nanoTime();

    JsonObject trace = started.getJsonObject(HopTrace.FIELD);
    assertThat(trace.fieldNames()).containsExactlyInAnyOrderElementsOf(HopTrace.STAMPS);
    List<Long> stamps = HopTrace.STAMPS.stream().map(trace::getLong).toList();
    assertThat(stamps).isSorted().allSatisfy(stamp -> assertThat(stamp).isBetween(sent, read));
    // only the started event is traced: the others are as they always are
    assertThat(client.terminal("traced").containsKey(HopTrace.FIELD)).isFalse();
  }

  @Test
  void untracedByDefault(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject());
    WsClient client = worker.client();

    client.send(submit("plain"));

    assertThat(client.event("plain", "started").containsKey(HopTrace.FIELD)).isFalse();
  }
}
