package io.warmpool.pool;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import io.warmpool.protocol.ChildMessage;
import io.warmpool.protocol.ProtocolCodec;
import io.warmpool.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;

/**
 * The worker's end of one child's protocol channel (docs/protocol.md): the protocol's frames
 * over a loopback socket, read into typed messages. All handlers run on the pool's event loop.
 */
final class ChildChannel implements ChildConnection {

  private static final Logger LOG = LoggerFactory.getLogger(ChildChannel.class);

  private final NetSocket socket;
  private final RecordParser parser;
  private Handler<ChildMessage> messageHandler = message -> { };
  private Handler<String> protocolErrorHandler = error -> { };
  private Handler<Void> closeHandler = v -> { };
  private boolean closed;

  /** @param maxFrameBytes the longest frame read until {@link #maxFrameBytes(int)} says otherwise */
  ChildChannel(NetSocket socket, int maxFrameBytes) {
    this.socket = socket;
    this.parser = RecordParser.newDelimited("\n", socket).maxRecordSize(maxFrameBytes);
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
    // came in the same read gets here whole, however long; the codec checks the limit for it
    Optional<ChildMessage> message;
    try {
      message = ProtocolCodec.decodeChildMessage(frame);
    } catch (ProtocolException e) {
      protocolErrorHandler.handle(e.getMessage());
      return;
    }
    if (message.isPresent()) {
      messageHandler.handle(message.get());
    } else if (LOG.isDebugEnabled()) {
      // a newer child may send what this worker does not know yet: it is not a breach
      LOG.debug("ignoring a message of unknown type: {}", abbreviate(frame.toString()));
    }
  }

  /**
   * The longest frame from now on. The parser refuses a frame still unterminated past it; one
   * whose newline came in the same read is checked against the protocol's limit by the codec.
   */
  void maxFrameBytes(int bytes) {
    parser.maxRecordSize(bytes);
  }

  /** Gets every message the child sends, typed; a frame of an unknown type never comes here. */
  @Override
  public void messageHandler(Handler<ChildMessage> handler) {
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
  public Future<Void> sendFrame(byte[] frame) {
    if (closed) {
      return Future.failedFuture("channel closed");
    }
    return socket.write(Buffer.buffer(frame));
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
