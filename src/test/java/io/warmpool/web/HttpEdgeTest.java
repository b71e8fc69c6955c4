package io.warmpool.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a web page in the user's browser can do to a worker on the same machine, with the
 * defaults: no token, no allowed origins, no allowed hosts. Requests are written by hand, as the
 * browser would send them, to a real worker on 127.0.0.1.
 */
@ExtendWith(VertxExtension.class)
class HttpEdgeTest {

  private static final String TOKEN = "0123456789abcdef-edge";

  private WebFixture worker;

  @AfterEach
  void close() throws Exception {
    if (worker != null) {
      worker.close();
    }
  }

  private WebFixture.Response put(String host, String origin, String body) throws Exception {
    return worker.raw("PUT", "/load", host, origin == null ? Map.of() : Map.of("Origin", origin), body, false);
  }

  private WebFixture.Response get(String path, String host) throws Exception {
    return worker.raw("GET", path, host, Map.of(), null, false);
  }

  @Test
  void aPageFromAnotherOriginCanNeitherOpenTheWebSocketNorAct(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject());
    String own = "http://" + worker.ownHost();

    assertThat(worker.upgradeStatus("https://evil.example")).isEqualTo(403);
    assertThat(worker.upgradeStatus("null")).as("a sandboxed frame or a file").isEqualTo(403);
    WebFixture.Response put = put(worker.ownHost(), "https://evil.example", "0.9");
    assertThat(put.status()).isEqualTo(403);
    assertThat(put.json().getString("code")).isEqualTo("forbidden");
    assertThat(put.json().getString("message")).isEqualTo(
      "Origin \"https://evil.example\" is neither this worker's own nor in web.allowedOrigins");
    assertThat(worker.raw("GET", "/worker", worker.ownHost(), Map.of("Origin", "https://evil.example"), null, false).status())
      .isEqualTo(403);

    // the dashboard the worker serves is its own origin; a client that is not a browser sends none
    assertThat(worker.upgradeStatus(own)).isEqualTo(101);
    assertThat(worker.upgradeStatus(null)).isEqualTo(101);
    assertThat(put(worker.ownHost(), own, "0.5").status()).isEqualTo(200);
    assertThat(put(worker.ownHost(), null, "0.5").status()).isEqualTo(200);

    assertThat(worker.metric("warmpool.web.refused")).isEqualTo(4);
  }

  /**
   * DNS rebinding: the page's own name now resolves to 127.0.0.1, so to the browser the worker is
   * same-origin. Its requests still name the page's host, and are refused.
   */
  @Test
  void aRequestNamingAnotherHostIsRefusedSoDnsRebindingFails(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject());
    String rebound = "evil.example:" + worker.port;

    assertThat(worker.upgradeStatus(rebound, "http://" + rebound)).isEqualTo(403);
    WebFixture.Response info = get("/worker", rebound);
    assertThat(info.status()).isEqualTo(403);
    assertThat(info.json().getString("message"))
      .isEqualTo("Host \"" + rebound + "\" is not a name of this worker (web.host, localhost, web.allowedHosts)");
    assertThat(put(rebound, "http://" + rebound, "0.9").status()).isEqualTo(403);
    assertThat(get("/", rebound).status()).isEqualTo(403);
    assertThat(get("/metrics", rebound).status()).isEqualTo(403);

    // a probe that names the worker by an address of its own still learns its status
    assertThat(get("/health", rebound).status()).isEqualTo(200);
    // the names of this machine are served, in any case, with or without the port
    for (String host : List.of("localhost:" + worker.port, "LOCALHOST", "127.0.0.1:" + worker.port, "[::1]:" + worker.port)) {
      assertThat(get("/worker", host).status()).as(host).isEqualTo(200);
    }
    // HTTP/1.1 without Host: Vert.x itself refuses it
    assertThat(worker.raw("GET", "/worker", null, Map.of(), null, false).status()).isEqualTo(400);
  }

  @Test
  void allowedHostsAddNamesAndAStarAllowsAny(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("web", new JsonObject()
      .put("allowedHosts", new JsonArray(List.of("worker.example.com", "10.1.2.3")))));
    String named = "worker.example.com:" + worker.port;

    assertThat(get("/worker", named).status()).isEqualTo(200);
    assertThat(get("/worker", "10.1.2.3").status()).isEqualTo(200);
    assertThat(worker.upgradeStatus(named, "http://" + named)).isEqualTo(101);
    assertThat(get("/worker", "other.example.com:" + worker.port).status()).isEqualTo(403);
    worker.close();

    worker = new WebFixture(vertx, new JsonObject().put("web", new JsonObject()
      .put("allowedHosts", new JsonArray(List.of("*"))).put("token", TOKEN)));
    assertThat(worker.raw("GET", "/worker", "anything.example:1", Map.of("Authorization", "Bearer " + TOKEN), null, false)
      .status()).isEqualTo(200);
    // the Origin check stays: another site's page is refused whatever Host it names
    assertThat(worker.upgradeStatus("anything.example", "https://evil.example")).isEqualTo(403);
  }

  @Test
  void whatAClientSentIsEchoedShortAndEscaped(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject());

    // a header is read as ISO-8859-1 (control characters in it are refused by Vert.x with 400):
    // the bytes of a UTF-8 bidi override arrive as three characters, one a C1 control
    WebFixture.Response refused = put(worker.ownHost(), "https://x.example/" + "\u202e" + "a".repeat(4_000), "1");

    assertThat(refused.status()).isEqualTo(403);
    String message = refused.json().getString("message");
    assertThat(message).startsWith("Origin \"https://x.example/\u00e2\\u0080\u00aeaaa").contains("… (4021 characters)");
    assertThat(message.length()).isLessThan(200);
    assertThat(message.chars()).noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
  }

  @Test
  void aWrongTokenIsAnsweredAfterADelayAndCounted(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("web", new JsonObject().put("token", TOKEN)));

    long start = System.nanoTime();
    assertThat(worker.get("/worker", "not-the-token-at-all").status()).isEqualTo(401);
    assertThat(elapsedMs(start)).isGreaterThanOrEqualTo(TokenAuth.FAILURE_DELAY_MS);
    start = System.nanoTime();
    assertThat(worker.put("/load", null, "0.5").status()).isEqualTo(401);
    assertThat(elapsedMs(start)).isGreaterThanOrEqualTo(TokenAuth.FAILURE_DELAY_MS);

    start = System.nanoTime();
    WsClient intruder = worker.client("/ws", "not-the-token-at-all");
    intruder.awaitFrame("unauthorized", f -> "unauthorized".equals(f.getString("code")));
    assertThat(elapsedMs(start)).isGreaterThanOrEqualTo(TokenAuth.FAILURE_DELAY_MS);
    WebFixture.waitFor("the intruder's socket to close", () -> intruder.closed);
    assertThat(intruder.closeCode).isEqualTo((short) 1008);

    assertThat(worker.get("/worker", TOKEN).status()).isEqualTo(200);
    assertThat(worker.metric("warmpool.web.refused")).isEqualTo(3);
  }

  private static long elapsedMs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
