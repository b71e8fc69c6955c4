package io.warmpool.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One misbehaving client: it connects, stops reading its socket (so the worker's replies back
 * up in the network and then in the worker), and writes frames that each earn a reply (an
 * unknown op, a bad frame, a quick job, a subscription) as fast as its own socket takes them.
 * The worker should stop reading it, then close it with 1008 and a reason; the client counts
 * the close and connects again after a short pause, until the run stops it.
 *
 * <p>It reads nothing, so it cannot see the close frame the worker sends: that waits behind the
 * replies it never read. What it sees is its own writes flowing again after being stuck for
 * {@link #STUCK_MS}: the worker reads a client it has closed, to take its answering close, and
 * has no other reason to read one whose replies are not taken. So then, and only then, it reads
 * what was queued for it, to find the close frame and its reason. If no close comes within
 * {@link #CLOSE_WAIT_MS}, it stops reading again and goes on.
 *
 * <p>Its receive buffer is small and fixed: loopback's would grow to megabytes first, a cost of
 * the kernel rather than of the worker, and with hundreds of such clients a cost to the machine.
 */
final class Flooder extends VerticleBase {

  static final int RECEIVE_BUFFER_BYTES = 32 * 1024;
  /** Frames written before yielding the event loop to the other clients on it. */
  static final int BATCH = 64;
  static final long STUCK_MS = 2000;
  static final long CLOSE_WAIT_MS = 10_000;
  static final long RECONNECT_PAUSE_MS = 500;
  static final long CONNECT_TIMEOUT_MS = 10_000;
  static final long SHUTDOWN_WITHIN_MS = 2000;
  private final int port;
  private final List<FloodStats.Frame> frames;
  private final FloodStats stats;
  private WebSocketClient client;
  /** The current connection; null between connections. */
  private WebSocket ws;
  private boolean stopping;
  private boolean readingForClose;
  private long stuckSinceNanos;
  private long closeWaitTimer = -1;
  private int next;

  Flooder(int port, List<FloodStats.Frame> frames, FloodStats stats) {
    this.port = port;
    this.frames = frames;
    this.stats = stats;
  }

  @Override
  public Future<?> start() {
    client = vertx.createWebSocketClient(new WebSocketClientOptions()
      .setReceiveBufferSize(RECEIVE_BUFFER_BYTES).setConnectTimeout((int) CONNECT_TIMEOUT_MS).setMaxConnections(1));
    connect();
    return Future.succeededFuture();
  }

  private void connect() {
    if (stopping) {
      return;
    }
    client.connect(port, "127.0.0.1", "/ws").onComplete(ar -> {
      if (ar.failed()) {
        stats.connectFailed(ar.cause());
        later();
      } else {
        flood(ar.result());
      }
    });
  }

  private void later() {
    if (!stopping) {
      vertx.setTimer(RECONNECT_PAUSE_MS, id -> connect());
    }
  }

  private void flood(WebSocket socket) {
    stats.connections.increment();
    ws = socket;
    readingForClose = false;
    socket.textMessageHandler(text -> { });
    socket.exceptionHandler(err -> { });
    socket.closeHandler(v -> onClosed(socket));
    socket.pause();
    if (stopping) {
      socket.resume();
      socket.close();
      return;
    }
    writeMore(socket);
  }

  /** Writes until the socket takes no more, yielding the event loop between batches. */
  private void writeMore(WebSocket socket) {
    if (socket != ws || stopping || readingForClose) {
      return;
    }
    for (int i = 0; i < BATCH; i++) {
      if (socket.writeQueueFull()) {
        stuckSinceNanos = System.nanoTime();
        socket.drainHandler(v -> drained(socket));
        return;
      }
      FloodStats.Frame frame = frames.get(next);
      next = (next + 1) % frames.size();
      // a write to a socket the worker has just closed fails: the close handler counts that
      socket.writeTextMessage(frame.text);
      stats.sent(frame);
    }
    vertx.runOnContext(v -> writeMore(socket));
  }

  private void drained(WebSocket socket) {
    if (socket != ws) {
      return;
    }
    long stuckMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stuckSinceNanos);
    if (stuckMs < STUCK_MS) {
      writeMore(socket);
      return;
    }
    // read again after being ignored this long: the worker has closed us, and its close frame waits
    readingForClose = true;
    socket.resume();
    closeWaitTimer = vertx.setTimer(CLOSE_WAIT_MS, id -> {
      closeWaitTimer = -1;
      if (socket == ws) {
        stats.resumedNotClosed.increment();
        readingForClose = false;
        socket.pause();
        writeMore(socket);
      }
    });
  }

  private void onClosed(WebSocket socket) {
    if (socket != ws) {
      return;
    }
    ws = null;
    vertx.cancelTimer(closeWaitTimer);
    closeWaitTimer = -1;
    if (!stopping) {
      stats.closed(socket.closeStatusCode(), socket.closeReason());
      later();
    }
  }

  /**
   * Closes its connection, reading again to see the worker's answer, but waits for it
   * {@value #SHUTDOWN_WITHIN_MS} ms at most: a worker that does not answer (one that ran out of
   * memory) would otherwise hold the client's graceful close for 30 s.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    WebSocket socket = ws;
    if (socket != null) {
      socket.resume();
      socket.close();
    }
    return client.shutdown(SHUTDOWN_WITHIN_MS, TimeUnit.MILLISECONDS).otherwiseEmpty();
  }
}
