package io.warmpool.pool;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.io.IOException;

/**
 * The worker's end of one child's protocol channel (docs/protocol.md): newline-delimited JSON
 * objects over a loopback socket. All handlers run on the pool's event loop.
 */
final class ChildChannel implements ChildConnection {

  static final int MAX_FRAME_BYTES = 1024 * 1024;

  private final NetSocket socket;
  private Handler<JsonObject> messageHandler = message -> { };
  private Handler<String> protocolErrorHandler = error -> { };
  private Handler<Void> closeHandler = v -> { };
  private boolean closed;

  ChildChannel(NetSocket socket) {
    this.socket = socket;
    RecordParser parser = RecordParser.newDelimited("\n", socket).maxRecordSize(MAX_FRAME_BYTES);
    parser.handler(this::onFrame);
    parser.exceptionHandler(err -> {
      if (err instanceof IOException) {
        // the socket's own failure, passed on by the parser: a killed child's connection is
        // reset when it had unread input. Its death is for the pool to reap, not a breach.
        close();
      } else {
        protocolErrorHandler.handle("bad frame: " + err.getMessage());
      }
    });
    socket.closeHandler(v -> {
      closed = true;
      closeHandler.handle(null);
    });
  }

  private void onFrame(Buffer frame) {
    // RecordParser only refuses a record still unterminated past the limit: one whose newline
    // came in the same read gets here whole, however long
    if (frame.length() > MAX_FRAME_BYTES) {
      protocolErrorHandler.handle("frame of " + frame.length() + " bytes, over the limit of " + MAX_FRAME_BYTES);
      return;
    }
    JsonObject message;
    try {
      message = frame.toJsonObject();
    } catch (RuntimeException e) {
      protocolErrorHandler.handle("frame is not a JSON object: " + abbreviate(frame.toString()));
      return;
    }
    if (!(message.getValue("type") instanceof String)) {
      protocolErrorHandler.handle("message without a type: " + abbreviate(frame.toString()));
      return;
    }
    messageHandler.handle(message);
  }

  @Override
  public void messageHandler(Handler<JsonObject> handler) {
    this.messageHandler = handler;
  }

  @Override
  public void protocolErrorHandler(Handler<String> handler) {
    this.protocolErrorHandler = handler;
  }

  @Override
  public void closeHandler(Handler<Void> handler) {
    this.closeHandler = handler;
  }

  @Override
  public Future<Void> send(JsonObject message) {
    if (closed) {
      return Future.failedFuture("channel closed");
    }
    return socket.write(message.toBuffer().appendByte((byte) '\n'));
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (!closed) {
      socket.close();
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 120 ? text : text.substring(0, 120) + "…";
  }
}
