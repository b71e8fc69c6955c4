package io.warmpool.client;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One WebSocket connection to the worker, on the JDK's client. Whole text messages go to
 * {@link Handler#frame}; the end of the connection, whichever side ended it, to
 * {@link Handler#closed} once. Frames are read one at a time as they come (the client's own
 * buffers bound what it keeps); pings are answered by the JDK's WebSocket itself, as soon as
 * they are read. Sends are queued: the JDK's WebSocket takes one at a time.
 */
final class Connection {

  interface Handler {
    void frame(Connection connection, String text);

    /** @param why the close code and reason, or the error, in words */
    void closed(Connection connection, String why);
  }

  private final Handler handler;
  private volatile WebSocket socket;
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
  private boolean ended;

  private Connection(Handler handler) {
    this.handler = handler;
  }

  /**
   * Opens a connection; fails with a {@link WarmpoolException} {@code unreachable} that says why
   * (nothing listening, the upgrade refused with its HTTP status…).
   */
  static CompletableFuture<Connection> open(HttpClient http, ClientOptions options, Handler handler) {
    Connection connection = new Connection(handler);
    WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(options.getRequestTimeout());
    if (options.getToken() != null) {
      builder.header("Authorization", "Bearer " + options.getToken());
    }
    return builder.buildAsync(options.getUrl(), connection.new Listener())
      .handle((socket, err) -> {
        if (err != null) {
          throw new CompletionException(unreachable(options, err));
        }
        connection.socket = socket;
        return connection;
      });
  }

  /** What a failed opening says, and whether to try again is any use ({@link #isFinal}). */
  private static WarmpoolException unreachable(ClientOptions options, Throwable err) {
    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (cause instanceof WebSocketHandshakeException handshake) {
      int status = handshake.getResponse().statusCode();
      return new WarmpoolException(WarmpoolException.UNREACHABLE, "the worker at " + options.getUrl()
        + " refused the WebSocket upgrade: HTTP " + status + (status == 403
        ? " (a Host or Origin it does not allow: web.allowedHosts, docs/security.md)" : "")
        + (status == 503 ? " (web.maxConnections reached)" : ""), cause);
    }
    String what = cause instanceof java.net.ConnectException
      ? "nothing accepts connections there (is the worker running, on that port?)"
      : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    return new WarmpoolException(WarmpoolException.UNREACHABLE, "cannot connect to " + options.getUrl() + ": " + what, cause);
  }

  /** Whether a failed opening will fail the same way again: the worker refused this client, not a moment's trouble. */
  static boolean isFinal(Throwable err) {
    return err.getCause() instanceof WebSocketHandshakeException handshake
      && (handshake.getResponse().statusCode() == 401 || handshake.getResponse().statusCode() == 403);
  }

  /** Queues a text frame; a send that fails ends the connection. Called on the client's thread only. */
  void send(String text) {
    WebSocket ws = socket;
    sending = sending.thenCompose(v -> ws.sendText(text, true)).whenComplete((sent, err) -> {
      if (err != null) {
        ws.abort();
        end("sending failed: " + err.getMessage());
      }
    });
  }

  /** Closes it: a close frame, then the TCP connection, without waiting for the worker's answer. */
  void close() {
    WebSocket ws = socket;
    if (ws != null) {
      sending.handle((v, err) -> null)
        .thenCompose(v -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "client closed"))
        .whenComplete((v, err) -> ws.abort());
    }
  }

  /** Drops it at once, without a close frame: for a connection that stopped answering. */
  void abort(String why) {
    WebSocket ws = socket;
    if (ws != null) {
      ws.abort();
    }
    end(why);
  }

  /** Whether it has ended (even before the client took it as its connection). */
  synchronized boolean isEnded() {
    return ended;
  }

  private void end(String why) {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
    }
    handler.closed(this, why);
  }

  /** Called by the JDK one message part at a time, never two at once. */
  private final class Listener implements WebSocket.Listener {

    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        handler.frame(Connection.this, text);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      // the worker sends text frames only
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      end("closed by the worker (" + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      end(error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage()));
    }
  }
}
