package io.warmpool.testbed;

import io.vertx.core.Vertx;

/**
 * The floor the worker's hot path is measured against: a bare Vert.x WebSocket server on
 * 127.0.0.1 that sends every text message straight back, in a JVM of its own as the worker is.
 * {@code java -cp … io.warmpool.testbed.EchoServer PORT}; it prints {@code listening} once it
 * accepts connections and runs until it is killed.
 */
public final class EchoServer {

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    vertx.createHttpServer()
      .webSocketHandler(ws -> ws.textMessageHandler(ws::writeTextMessage))
      .listen(port, "127.0.0.1")
      .onSuccess(server -> System.out.println("listening on " + server.actualPort()))
      .onFailure(err -> {
        System.err.println("cannot listen on " + port + ": " + err);
        System.exit(1);
      });
  }

  private EchoServer() {
  }
}
