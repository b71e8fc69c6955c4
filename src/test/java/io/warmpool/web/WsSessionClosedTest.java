package io.warmpool.web;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.bus.Addresses;
import io.warmpool.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.reflect.Proxy;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * A socket can be closed before its close handler has run: Vert.x then throws from every write
 * and from {@code writeQueueFull()}. A state frame or a job event arriving in that moment must be
 * dropped quietly, not escape as an error (it made the smoke load test fail now and then).
 */
@ExtendWith(VertxExtension.class)
class WsSessionClosedTest {

  private static ServerWebSocket closedSocket() {
    return (ServerWebSocket) Proxy.newProxyInstance(ServerWebSocket.class.getClassLoader(),
      new Class<?>[] {ServerWebSocket.class}, (proxy, method, args) -> switch (method.getName()) {
        case "isClosed" -> true;
        case "drainHandler", "frameHandler", "remoteAddress" -> null;
        case "hashCode" -> System.identityHashCode(proxy);
        case "equals" -> proxy == args[0];
        default -> throw new IllegalStateException("WebSocket is closed");
      });
  }

  @Test
  void framesForASocketClosedBeforeItsCloseHandlerAreDropped(Vertx vertx) {
    WsSession session = new WsSession(vertx, Addresses.DEFAULT, closedSocket(), new JobFanout(),
      new WebStats(new SimpleMeterRegistry(), Addresses.DEFAULT_PREFIX, Set.of()), ConfigLoader.defaults().web(), JsonObject::new);

    assertThatCode(() -> {
      session.onText(new JsonObject().put("op", "subscribe").put("topic", "pool").encode());
      session.state(new JsonObject().put("type", "state"));
      session.jobEvent(new JsonObject().put("type", "job").put("jobId", "j").put("event", "completed"), true);
      session.onText("{not json");
    }).doesNotThrowAnyException();
  }
}
