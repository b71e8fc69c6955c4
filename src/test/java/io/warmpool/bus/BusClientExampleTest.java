package io.warmpool.bus;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.warmpool.config.ConfigLoader;
import io.warmpool.pool.PoolVerticle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example of docs/event-bus.md, run: a verticle that uses the worker over the event bus only
 * (no WebSocket), submits a job and follows its events to the end.
 */
@ExtendWith(VertxExtension.class)
class BusClientExampleTest {

  /** What an outside verticle writes: submit, then follow the job's events until its terminal one. */
  static final class EchoClientVerticle extends VerticleBase {

    final Promise<List<JsonObject>> events = Promise.promise();
    private final List<JsonObject> received = new ArrayList<>();
    private MessageConsumer<JsonObject> consumer;

    @Override
    public Future<?> start() {
      String jobId = "example-1";
      // follow first, so no event of the job can be missed
      consumer = vertx.eventBus().<JsonObject>consumer(Addresses.DEFAULT.jobsEvents(), msg -> {
        if (jobId.equals(msg.body().getString("jobId"))) {
          received.add(msg.body());
          if (JobEvents.isTerminal(msg.body())) {
            events.tryComplete(received);
          }
        }
      });
      SubmitRequest request = new SubmitRequest(jobId, new JsonObject().put("op", "echo").put("value", "over the bus"), 0, false);
      return vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.jobsSubmit(), request.toJson())
        .map(reply -> {
          if (!SubmitReplies.isAccepted(reply.body())) {
            throw new IllegalStateException("rejected: " + reply.body().getString("message"));
          }
          return reply.body();
        });
    }

    @Override
    public Future<?> stop() {
      return consumer.unregister();
    }
  }

  @Test
  void aVerticleRunsAJobOverTheBusOnly(Vertx vertx, VertxTestContext test) throws Exception {
    var config = ConfigLoader.fromJson(new JsonObject()
      .put("load", new JsonObject().put("source", "external"))
      .put("pool", new JsonObject().put("maxIdle", 1)), Map.of());
    EchoClientVerticle client = new EchoClientVerticle();

    vertx.deployVerticle(new PoolVerticle(config, new SimpleMeterRegistry()))
      .compose(id -> vertx.deployVerticle(client))
      .compose(id -> client.events.future())
      .onComplete(test.succeeding(events -> test.verify(() -> {
        assertThat(events).extracting(e -> e.getString("event")).containsExactly("started", "completed");
        assertThat(events.get(1).getJsonObject("result").getString("value")).isEqualTo("over the bus");
        test.completeNow();
      })));
  }

  @Test
  void aBadSubmissionFailsWithBadRequestNamingTheField(Vertx vertx, VertxTestContext test) throws Exception {
    var config = ConfigLoader.fromJson(new JsonObject()
      .put("load", new JsonObject().put("source", "external"))
      .put("pool", new JsonObject().put("maxIdle", 0)), Map.of());

    vertx.deployVerticle(new PoolVerticle(config, new SimpleMeterRegistry()))
      .compose(id -> vertx.eventBus().request(Addresses.DEFAULT.jobsSubmit(), new JsonObject().put("payload", "not an object")))
      .onComplete(test.failing(err -> test.verify(() -> {
        assertThat(err).isInstanceOf(ReplyException.class);
        assertThat(((ReplyException) err).failureCode()).isEqualTo(BusFailure.BAD_REQUEST);
        assertThat(err.getMessage()).contains("payload");
        test.completeNow();
      })));
  }
}
