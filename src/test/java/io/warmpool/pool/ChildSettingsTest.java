package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.protocol.WorkerMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;

import static io.warmpool.pool.PoolFixture.pairs;
import static io.warmpool.pool.PoolFixture.poolCount;
import static org.assertj.core.api.Assertions.assertThat;

/** What the worker's config gives every child: {@code child.options} at initialize, {@code child.env} in its environment. */
@ExtendWith(VertxExtension.class)
class ChildSettingsTest {

  private static final JsonObject OPTIONS = new JsonObject().put("model", "tiny").put("size", 3);

  private PoolFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static JsonObject config(JsonObject child) {
    return new JsonObject().put("pool", pairs("maxIdle", 1)).put("child", child);
  }

  private Object result(JsonObject payload) throws Exception {
    JsonObject terminal = fixture.awaitTerminal(fixture.run(payload));
    assertThat(terminal.getString("event")).as("terminal %s", terminal).isEqualTo("completed");
    return terminal.getValue("result");
  }

  @Test
  void initializeCarriesTheOptions(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, config(pairs("options", OPTIONS)));

    fixture.awaitInfo("1 idle", info -> poolCount(info, "idle") == 1);

    assertThat(fixture.fakes.launched.get(0).received.get(0).message())
      .isEqualTo(new WorkerMessage.Initialize("io.warmpool.demo.DemoEntrypoint", OPTIONS));
  }

  @Test
  void aChildInAnyLanguageGetsTheOptionsAndTheEnvironment(Vertx vertx) throws Exception {
    Path script = Path.of("src/test/resources/children/settings_child.py").toAbsolutePath();
    fixture = PoolFixture.start(vertx, config(pairs("command", new JsonArray().add("python3").add(script.toString()),
      "options", OPTIONS, "env", pairs("WARMPOOL_MODE", "fast", "LANG", "C.UTF-8"))));

    assertThat(result(pairs("op", "options"))).isEqualTo(OPTIONS);
    assertThat(result(pairs("op", "env", "name", "WARMPOOL_MODE"))).isEqualTo(pairs("value", "fast"));
    // a configured variable wins over an inherited one
    assertThat(result(pairs("op", "env", "name", "LANG"))).isEqualTo(pairs("value", "C.UTF-8"));
    assertThat(result(pairs("op", "env", "name", "WARMPOOL_UNSET"))).isEqualTo(new JsonObject().putNull("value"));
  }

  @Test
  void theJavaChildGetsTheEnvironment(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, config(pairs("entrypoint", TestEntrypoints.Env.class.getName(),
      "env", pairs("WARMPOOL_MODE", "fast"))));

    assertThat(result(pairs("name", "WARMPOOL_MODE"))).isEqualTo(pairs("value", "fast"));
  }
}
