package io.warmpool.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.BusFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class ExternalLoadSourceTest {

  @Test
  void takesTheLatestValueSentOrPublished(Vertx vertx, VertxTestContext testContext) {
    ExternalLoadSource source = new ExternalLoadSource(vertx, Addresses.DEFAULT.loadExternal());
    EventBus bus = vertx.eventBus();
    assertThat(source.name()).isEqualTo("external");
    assertThat(source.loadPerJobHint()).isZero();
    assertThat(source.sample()).as("nothing received yet").isZero();
    assertThat(source.hasLoad()).as("nothing received yet").isFalse();

    source.registered()
      .compose(v -> bus.request(Addresses.DEFAULT.loadExternal(), 0.3))
      .compose(reply -> {
        assertThat(reply.body()).isEqualTo(new JsonObject().put("load", 0.3));
        assertThat(source.sample()).isEqualTo(0.3);
        assertThat(source.hasLoad()).isTrue();
        return bus.request(Addresses.DEFAULT.loadExternal(), new JsonObject().put("load", 0.6));
      })
      .compose(reply -> {
        assertThat(source.sample()).isEqualTo(0.6);
        bus.publish(Addresses.DEFAULT.loadExternal(), 0.1);
        bus.publish(Addresses.DEFAULT.loadExternal(), new JsonObject().put("load", 1));
        // delivered after the publications above, so once it is answered they have arrived
        return bus.request(Addresses.DEFAULT.loadExternal(), 0.8);
      })
      .compose(reply -> {
        assertThat(source.sample()).isEqualTo(0.8);
        bus.publish(Addresses.DEFAULT.loadExternal(), 0.25);
        return bus.request(Addresses.DEFAULT.loadExternal(), "high").recover(e -> Future.succeededFuture());
      })
      .compose(reply -> {
        assertThat(source.sample()).as("the published value; the bad request changed nothing").isEqualTo(0.25);
        return bus.request(Addresses.DEFAULT.loadExternal(), 1.5);
      })
      .onComplete(testContext.succeeding(reply -> testContext.verify(() -> {
        assertThat(source.sample()).as("kept as sent; the load timer clamps it").isEqualTo(1.5);
        testContext.completeNow();
      })));
  }

  @Test
  void rejectsBadBodiesWith400(Vertx vertx, VertxTestContext testContext) {
    ExternalLoadSource source = new ExternalLoadSource(vertx, Addresses.DEFAULT.loadExternal());
    Object[] bad = {
      "0.5", new JsonObject(), new JsonObject().put("load", "high"), new JsonArray().add(0.5),
      Double.NaN, Double.POSITIVE_INFINITY, true,
    };
    Future<Void> chain = source.registered().compose(v -> vertx.eventBus().request(Addresses.DEFAULT.loadExternal(), 0.4)).mapEmpty();
    for (Object body : bad) {
      chain = chain.compose(v -> vertx.eventBus().request(Addresses.DEFAULT.loadExternal(), body)
        .transform(ar -> {
          assertThat(ar.failed()).as("%s accepted", body).isTrue();
          ReplyException e = (ReplyException) ar.cause();
          assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
          assertThat(e.failureCode()).isEqualTo(BusFailure.BAD_REQUEST);
          assertThat(e.getMessage()).isNotBlank();
          return Future.succeededFuture();
        }));
    }
    chain.onComplete(testContext.succeeding(v -> testContext.verify(() -> {
      assertThat(source.sample()).isEqualTo(0.4);
      assertThat(source.hasLoad()).isTrue();
      testContext.completeNow();
    })));
  }

  @Test
  void closeUnregisters(Vertx vertx, VertxTestContext testContext) {
    ExternalLoadSource source = new ExternalLoadSource(vertx, Addresses.DEFAULT.loadExternal());
    source.registered()
      .compose(v -> {
        source.close();
        return vertx.eventBus().request(Addresses.DEFAULT.loadExternal(), 0.5);
      })
      .onComplete(testContext.failing(e -> testContext.verify(() -> {
        assertThat(((ReplyException) e).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
        assertThat(source.sample()).isZero();
        testContext.completeNow();
      })));
  }

  @Test
  void aBadBodyIsDescribedNeverRepeated(Vertx vertx, VertxTestContext testContext) {
    ExternalLoadSource source = new ExternalLoadSource(vertx, Addresses.DEFAULT.loadExternal());
    String forged = "0.5\n12:00:00.000 [main] ERROR Main - forged line \u001b[2J";
    source.registered()
      .compose(v -> vertx.eventBus().request(Addresses.DEFAULT.loadExternal(), new JsonObject().put("load", forged)))
      .onComplete(testContext.failing(e -> testContext.verify(() -> {
        assertThat(e.getMessage()).doesNotContain("forged").doesNotContain("\n").doesNotContain("\u001b")
          .endsWith("got a JSON object whose 'load' is a string of " + forged.length() + " characters");
        assertThat(ExternalLoadSource.describe("x".repeat(100_000))).isEqualTo("a string of 100000 characters");
        testContext.completeNow();
      })));
  }
}
