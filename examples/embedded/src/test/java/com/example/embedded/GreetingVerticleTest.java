package com.example.embedded;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.spi.SLF4JServiceProvider;

import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class GreetingVerticleTest {

  @Test
  @Timeout(60_000)
  void aGreetingIsMadeByAJobInAWarmProcess(Vertx vertx, VertxTestContext test) {
    vertx.deployVerticle(new GreetingVerticle())
      .compose(id -> vertx.eventBus().<JsonObject>request(GreetingVerticle.ADDRESS, new JsonObject().put("name", "Ada")))
      .onComplete(test.succeeding(reply -> test.verify(() -> {
        assertEquals("hello, Ada", reply.body().getString("greeting"));
        test.completeNow();
      })));
  }

  @Test
  void logbackIsTheOnlyLoggingBinding() {
    // the pool brings none of its own: with two, or none, SLF4J would warn at start
    List<String> providers = ServiceLoader.load(SLF4JServiceProvider.class).stream()
      .map(provider -> provider.type().getName()).toList();
    assertEquals(List.of("ch.qos.logback.classic.spi.LogbackServiceProvider"), providers);
  }

  @Test
  @Timeout(60_000)
  void undeployingTheVerticleLeavesNoChildProcess(Vertx vertx, VertxTestContext test) {
    vertx.deployVerticle(new GreetingVerticle())
      .compose(id -> vertx.eventBus().request(GreetingVerticle.ADDRESS, new JsonObject().put("name", "Grace"))
        .compose(reply -> vertx.undeploy(id)))
      .onComplete(test.succeeding(v -> test.verify(() -> {
        assertTrue(ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive),
          "every process of the pool is stopped once it is undeployed");
        test.completeNow();
      })));
  }
}
