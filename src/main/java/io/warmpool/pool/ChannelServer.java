package io.warmpool.pool;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.warmpool.protocol.ChildMessage;
import io.warmpool.protocol.ProtocolCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loopback server children connect to. A connection is matched to the process that was
 * started with its token; anything else on the port is closed: a first message that is not a
 * {@code hello} with a known token, no {@code hello} within the hello timeout
 * ({@code pool.initTimeoutMs}), a first frame over {@link #HELLO_MAX_BYTES}. At most
 * {@link #MAX_PENDING} connections wait for their {@code hello} at once; one more closes the
 * oldest (a real child says {@code hello} as soon as it connects). Created on the pool's
 * context, so every socket handler runs on the pool's event loop.
 */
final class ChannelServer {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelServer.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Most connections waiting for their {@code hello} at once. */
  static final int MAX_PENDING = 128;
  /** Longest first frame: a {@code hello} is a token, a pid and a short runtime text. */
  static final int HELLO_MAX_BYTES = 4096;

  private final Vertx vertx;
  private final long helloTimeoutMs;
  private final Map<String, Promise<ChildChannel>> expected = new HashMap<>();
  /** Connections that have not said {@code hello} yet, oldest first, each with its timer. */
  private final Map<ChildChannel, Long> pending = new LinkedHashMap<>();
  private long refused;
  private NetServer server;

  ChannelServer(Vertx vertx, long helloTimeoutMs) {
    this.vertx = vertx;
    this.helloTimeoutMs = helloTimeoutMs;
  }

  Future<Integer> listen() {
    server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true));
    return server.connectHandler(this::onConnect).listen().map(NetServer::actualPort);
  }

  int port() {
    return server.actualPort();
  }

  static String newToken() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The channel of the child started with {@code token}, once it said {@code hello}. */
  Future<ChildChannel> expect(String token) {
    Promise<ChildChannel> promise = Promise.promise();
    expected.put(token, promise);
    return promise.future();
  }

  void forget(String token) {
    Promise<ChildChannel> promise = expected.remove(token);
    if (promise != null) {
      promise.tryFail("the child is gone");
    }
  }

  private void onConnect(NetSocket socket) {
    if (pending.size() >= MAX_PENDING) {
      refuse(pending.keySet().iterator().next(), MAX_PENDING + " connections are waiting for their hello already");
    }
    ChildChannel channel = new ChildChannel(socket, HELLO_MAX_BYTES);
    pending.put(channel, vertx.setTimer(helloTimeoutMs,
      id -> refuse(channel, "no hello within pool.initTimeoutMs (" + helloTimeoutMs + " ms)")));
    channel.closeHandler(v -> unpend(channel));
    channel.protocolErrorHandler(error -> refuse(channel, error));
    channel.messageHandler(message -> {
      Promise<ChildChannel> promise = message instanceof ChildMessage.Hello hello
        ? expected.remove(hello.token())
        : null;
      if (promise == null) {
        refuse(channel, "its first message is not a hello with a token this worker gave out");
        return;
      }
      unpend(channel);
      channel.maxFrameBytes(ProtocolCodec.MAX_FRAME_BYTES);
      // until the process takes over, a frame or a close before that is its problem to see
      channel.messageHandler(ignored -> { });
      channel.closeHandler(ignored -> { });
      promise.complete(channel);
    });
  }

  private void unpend(ChildChannel channel) {
    Long timer = pending.remove(channel);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  /** Closes a connection that is no child of this worker; logged on the 1st, 2nd, 4th, 8th… only. */
  private void refuse(ChildChannel channel, String why) {
    unpend(channel);
    channel.close();
    refused++;
    if (Long.bitCount(refused) == 1) {
      LOG.warn("closed a connection to the child port {} from no child of this worker ({} so far): {}", port(), refused, why);
    }
  }

  Future<Void> close() {
    expected.values().forEach(promise -> promise.tryFail("the pool is closing"));
    expected.clear();
    pending.keySet().forEach(ChildChannel::close);
    pending.values().forEach(vertx::cancelTimer);
    pending.clear();
    return server == null ? Future.succeededFuture() : server.close();
  }
}
