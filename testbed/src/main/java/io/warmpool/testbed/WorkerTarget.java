package io.warmpool.testbed;

import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.URI;
import java.util.List;

/**
 * Where the worker's {@code /ws} is; its {@code PUT /load} and {@code /metrics} are on the same
 * host and port.
 *
 * @param token the worker's {@code web.token}, sent as {@code Authorization: Bearer …}; null for none
 */
public record WorkerTarget(String host, int port, String uri, boolean ssl, String token) {

  static WorkerTarget parse(String url) {
    URI parsed;
    try {
      parsed = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--url " + url + " is not a URL: " + e.getMessage());
    }
    String scheme = parsed.getScheme();
    if (!"ws".equals(scheme) && !"wss".equals(scheme) || parsed.getHost() == null) {
      throw new IllegalArgumentException("--url must look like ws://127.0.0.1:8080/ws, not " + url);
    }
    boolean ssl = "wss".equals(scheme);
    int port = parsed.getPort() > 0 ? parsed.getPort() : ssl ? 443 : 80;
    String path = parsed.getRawPath() == null || parsed.getRawPath().isEmpty() ? "/ws" : parsed.getRawPath();
    String uri = parsed.getRawQuery() == null ? path : path + "?" + parsed.getRawQuery();
    return new WorkerTarget(parsed.getHost(), port, uri, ssl, token(parsed.getRawQuery()));
  }

  /** A worker the load test started, with the token of its configuration. */
  static WorkerTarget local(int port, String token) {
    return new WorkerTarget("127.0.0.1", port, "/ws", false, token);
  }

  /** {@code ?token=…} of a URL: the WebSocket carries it in the URL, the HTTP requests need it too. */
  private static String token(String rawQuery) {
    if (rawQuery == null) {
      return null;
    }
    List<String> tokens = new QueryStringDecoder(rawQuery, false).parameters().get("token");
    return tokens == null ? null : tokens.get(0);
  }
}
