package io.warmpool.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link WarmpoolClient} reaches its worker and what it does when the connection drops.
 * Every setter checks its value and throws {@link IllegalArgumentException} naming it; the client
 * takes a copy at {@link WarmpoolClient#connect}, so changing the options later changes nothing.
 */
public final class ClientOptions {

  /** A worker started by {@code make run}. */
  public static final URI DEFAULT_URL = URI.create("ws://127.0.0.1:8080/ws");

  private URI url = DEFAULT_URL;
  private String token;
  private boolean reconnect = true;
  private Duration reconnectMinDelay = Duration.ofMillis(200);
  private Duration reconnectMaxDelay = Duration.ofSeconds(5);
  private Duration reconnectGiveUpAfter = Duration.ofMinutes(2);
  private Duration requestTimeout = Duration.ofSeconds(30);
  private int eventBufferSize = 1024;
  private int maxFrameBytes = 65536;

  public ClientOptions() {
  }

  public ClientOptions(ClientOptions other) {
    url = other.url;
    token = other.token;
    reconnect = other.reconnect;
    reconnectMinDelay = other.reconnectMinDelay;
    reconnectMaxDelay = other.reconnectMaxDelay;
    reconnectGiveUpAfter = other.reconnectGiveUpAfter;
    requestTimeout = other.requestTimeout;
    eventBufferSize = other.eventBufferSize;
    maxFrameBytes = other.maxFrameBytes;
  }

  /** The worker's WebSocket, {@code ws://host:port/ws} (or {@code wss://} behind a TLS proxy). */
  public ClientOptions setUrl(URI url) {
    Objects.requireNonNull(url, "url");
    if (!"ws".equals(url.getScheme()) && !"wss".equals(url.getScheme())) {
      throw new IllegalArgumentException("url must be ws:// or wss://, got " + url);
    }
    this.url = url;
    return this;
  }

  public ClientOptions setUrl(String url) {
    try {
      return setUrl(URI.create(url));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("url is not a URI: " + e.getMessage(), e);
    }
  }

  /** The worker's {@code web.token}, sent as {@code Authorization: Bearer …}; {@code null} for none. */
  public ClientOptions setToken(String token) {
    this.token = token == null || token.isEmpty() ? null : token;
    return this;
  }

  /**
   * Whether a connection that drops (not by {@link WarmpoolClient#close}) is opened again and
   * the unfinished jobs watched from where they were. Default {@code true}.
   */
  public ClientOptions setReconnect(boolean reconnect) {
    this.reconnect = reconnect;
    return this;
  }

  /** The wait before the first attempt to reconnect; it doubles on each failed attempt. Default 200 ms. */
  public ClientOptions setReconnectMinDelay(Duration delay) {
    this.reconnectMinDelay = positive(delay, "reconnectMinDelay");
    return this;
  }

  /** The longest wait between two attempts to reconnect. Default 5 s. */
  public ClientOptions setReconnectMaxDelay(Duration delay) {
    this.reconnectMaxDelay = positive(delay, "reconnectMaxDelay");
    return this;
  }

  /**
   * How long the client tries to reconnect before it gives up: then every unfinished job and
   * request fails with code {@code connection-lost} and the client is closed. Default 2 minutes,
   * below the worker's default {@code job.retainMs} (5 minutes), so a job that ended meanwhile
   * is still there to be watched.
   */
  public ClientOptions setReconnectGiveUpAfter(Duration giveUpAfter) {
    this.reconnectGiveUpAfter = positive(giveUpAfter, "reconnectGiveUpAfter");
    return this;
  }

  /**
   * How long a request (connect, submit, watch, cancel) waits for the worker's answer, across
   * reconnects, before it fails with code {@code timeout}. Default 30 s.
   */
  public ClientOptions setRequestTimeout(Duration timeout) {
    this.requestTimeout = positive(timeout, "requestTimeout");
    return this;
  }

  /**
   * Events held for each subscriber of a job's events (and states for each subscriber of the
   * pool state) that it has not requested yet. Default 1024. What happens when it is full is
   * in {@link SubmittedJob#events()} and {@link WarmpoolClient#poolState()}.
   */
  public ClientOptions setEventBufferSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("eventBufferSize must be at least 1, got " + size);
    }
    this.eventBufferSize = size;
    return this;
  }

  /**
   * The largest frame the client sends, the worker's {@code web.maxFrameBytes} (default 65536):
   * a submit over it fails at once with code {@code too-large} instead of being dropped by the
   * worker.
   */
  public ClientOptions setMaxFrameBytes(int bytes) {
    if (bytes < 1024) {
      throw new IllegalArgumentException("maxFrameBytes must be at least 1024 (the worker's least web.maxFrameBytes), got " + bytes);
    }
    this.maxFrameBytes = bytes;
    return this;
  }

  public URI getUrl() {
    return url;
  }

  public String getToken() {
    return token;
  }

  public boolean isReconnect() {
    return reconnect;
  }

  public Duration getReconnectMinDelay() {
    return reconnectMinDelay;
  }

  public Duration getReconnectMaxDelay() {
    return reconnectMaxDelay;
  }

  public Duration getReconnectGiveUpAfter() {
    return reconnectGiveUpAfter;
  }

  public Duration getRequestTimeout() {
    return requestTimeout;
  }

  public int getEventBufferSize() {
    return eventBufferSize;
  }

  public int getMaxFrameBytes() {
    return maxFrameBytes;
  }

  private static Duration positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }

  /** The token never shows. */
  @Override
  public String toString() {
    return "ClientOptions{url=" + url + ", token " + (token == null ? "unset" : "set") + ", reconnect=" + reconnect
      + " (" + reconnectMinDelay.toMillis() + ".." + reconnectMaxDelay.toMillis() + " ms, give up after "
      + reconnectGiveUpAfter.toMillis() + " ms), requestTimeout=" + requestTimeout.toMillis() + " ms, eventBufferSize="
      + eventBufferSize + ", maxFrameBytes=" + maxFrameBytes + "}";
  }
}
