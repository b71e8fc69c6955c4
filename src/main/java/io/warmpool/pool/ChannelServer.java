package io.warmpool.pool;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.warmpool.protocol.ChildMessage;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The loopback server children connect to. A connection is matched to the process that was
 * started with its token; anything else on the port is closed. Created on the pool's context,
 * so every socket handler runs on the pool's event loop.
 */
final class ChannelServer {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final Map<String, Promise<ChildChannel>> expected = new HashMap<>();
  private NetServer server;

  ChannelServer(Vertx vertx) {
    this.vertx = vertx;
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
    ChildChannel channel = new ChildChannel(socket);
    channel.protocolErrorHandler(error -> channel.close());
    channel.messageHandler(message -> {
      Promise<ChildChannel> promise = message instanceof ChildMessage.Hello hello
        ? expected.remove(hello.token())
        : null;
      if (promise == null) {
        channel.close();
        return;
      }
      // until the process takes over, a frame or a close before that is its problem to see
      channel.messageHandler(ignored -> { });
      promise.complete(channel);
    });
  }

  Future<Void> close() {
    expected.values().forEach(promise -> promise.tryFail("the pool is closing"));
    expected.clear();
    return server == null ? Future.succeededFuture() : server.close();
  }
}
