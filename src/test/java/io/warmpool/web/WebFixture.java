package io.warmpool.web;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.warmpool.Await;
import io.warmpool.WsClient;
import io.warmpool.bus.Addresses;
import io.warmpool.config.ConfigLoader;
import io.warmpool.config.WorkerConfig;
import io.warmpool.pool.PoolVerticle;

import java.io.BufferedReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The pool and web verticles on a free port, with load set by the test. */
final class WebFixture implements AutoCloseable {

  final Vertx vertx;
  final WorkerConfig config;
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final int port;
  private final List<String> deployments = new ArrayList<>();
  private final List<WsClient> clients = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Await.DEFAULT).build();

  WebFixture(Vertx vertx, JsonObject overrides) throws Exception {
    this.vertx = vertx;
    JsonObject all = new JsonObject()
      .put("web", new JsonObject().put("port", 0))
      .put("load", new JsonObject().put("source", "external").put("window", 1))
      .put("pool", new JsonObject().put("maxIdle", 1))
      .mergeIn(overrides, true);
    config = ConfigLoader.fromJson(all, Map.of());
    deployments.add(await(vertx.deployVerticle(new PoolVerticle(config, registry))));
    WebVerticle web = new WebVerticle(config, registry);
    deployments.add(await(vertx.deployVerticle(web)));
    port = web.actualPort();
  }

  WsClient client() throws Exception {
    return client("/ws", null);
  }

  WsClient client(String uri, String bearer) throws Exception {
    return client(new WebSocketClientOptions(), uri, bearer);
  }

  WsClient client(WebSocketClientOptions options, String uri, String bearer) throws Exception {
    WsClient client = WsClient.connect(vertx, options, port, uri, bearer);
    clients.add(client);
    return client;
  }

  void load(double load) {
    vertx.eventBus().publish(Addresses.DEFAULT.load(), new JsonObject().put("load", load));
  }

  record Response(int status, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  /**
   * A GET with the JDK's client. The body is read in the request's own pipeline: reading it in a
   * later composition step of Vert.x's client hung now and then on this busy machine.
   */
  Response get(String uri, String bearer) throws Exception {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri)).GET(), bearer);
  }

  /** A GET with its headers. */
  HttpResponse<String> http(String uri) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri)).GET().timeout(Await.DEFAULT).build(),
      HttpResponse.BodyHandlers.ofString());
  }

  Response put(String uri, String bearer, String body) throws Exception {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri))
      .PUT(HttpRequest.BodyPublishers.ofString(body)), bearer);
  }

  private Response send(HttpRequest.Builder request, String bearer) throws Exception {
    request.timeout(Await.DEFAULT);
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.body());
  }

  /** This worker's own {@code Host} header value, as a browser that opened its dashboard sends it. */
  String ownHost() {
    return "127.0.0.1:" + port;
  }

  /**
   * The status line's code of a WebSocket upgrade sent as a browser would, with its Origin
   * (Vert.x's client sets its own Origin, so this one writes the handshake itself).
   */
  int upgradeStatus(String origin) throws Exception {
    return upgradeStatus(ownHost(), origin);
  }

  int upgradeStatus(String host, String origin) throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Upgrade", "websocket");
    headers.put("Connection", "Upgrade");
    headers.put("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    headers.put("Sec-WebSocket-Version", "13");
    if (origin != null) {
      headers.put("Origin", origin);
    }
    return raw("GET", "/ws", host, headers, null, true).status();
  }

  /**
   * A request written by hand, with any {@code Host} and headers (the JDK's client will not set
   * {@code Host}); its status and, unless {@code statusOnly}, its body.
   */
  Response raw(String method, String path, String host, Map<String, String> headers, String body, boolean statusOnly)
    throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) Await.DEFAULT.toMillis());
      StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
      if (host != null) {
        request.append("Host: ").append(host).append("\r\n");
      }
      headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
      if (!statusOnly) {
        request.append("Connection: close\r\n");
      }
      byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      if (body != null) {
        request.append("Content-Length: ").append(content.length).append("\r\n");
      }
      request.append("\r\n");
      socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().write(content);
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      int status = Integer.parseInt(in.readLine().split(" ")[1]);
      if (statusOnly) {
        return new Response(status, "");
      }
      String line;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        // the headers
      }
      StringBuilder text = new StringBuilder();
      char[] buffer = new char[4096];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        text.append(buffer, 0, n);
      }
      return new Response(status, text.toString());
    }
  }

  double metric(String name) {
    return registry.getMeters().stream()
      .filter(m -> m.getId().getName().equals(name))
      .mapToDouble(m -> m.measure().iterator().next().getValue())
      .sum();
  }

  /** The value of the meter of that name with that tag, summed over its other tags. */
  double metric(String name, String tag, String value) {
    return registry.getMeters().stream()
      .filter(m -> m.getId().getName().equals(name) && value.equals(m.getId().getTag(tag)))
      .mapToDouble(m -> m.measure().iterator().next().getValue())
      .sum();
  }

  static void waitFor(String what, Await.Condition condition) throws Exception {
    Await.waitFor(what, condition);
  }

  static <T> T await(Future<T> future) throws Exception {
    return Await.await(future);
  }

  @Override
  public void close() throws Exception {
    for (WsClient client : clients) {
      client.close();
    }
    for (int i = deployments.size() - 1; i >= 0; i--) {
      await(vertx.undeploy(deployments.get(i)));
    }
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count())
      .as("child processes left after the worker stopped").isZero();
  }
}
