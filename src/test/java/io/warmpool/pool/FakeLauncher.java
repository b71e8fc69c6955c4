package io.warmpool.pool;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.warmpool.protocol.ChildMessage;
import io.warmpool.protocol.ProtocolCodec;
import io.warmpool.protocol.ProtocolException;
import io.warmpool.protocol.WorkerMessage;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Children kept in memory, for the pool's tests: each speaks the protocol like the demo
 * entrypoint would, without a process, so a pool test runs in milliseconds. What only a real
 * process shows (exit codes, pipes, signals, memory) stays with the tests that start one.
 *
 * <p>Jobs: {@code {"op":"echo","value":V}} completes with {@code {"value":V}}, after
 * {@code outputs} output events {@code {"i":k}} when given; {@code sleep}
 * completes after {@code ms}; {@code fail} fails; {@code crash} exits with code 3 after
 * starting; {@code hang} starts and then never answers anything again (pings included);
 * {@code log} sends a {@code log} record of the job ({@code level}, {@code message},
 * {@code fields}) and completes; {@code wait-cancel} runs until it is told {@code cancel}, then
 * logs {@code "cleaning up"} and completes (both of which the worker must drop);
 * {@code stubborn} starts, never ends, and its child ignores {@code shutdown}. Each child
 * records what the worker sent it ({@link FakeChild#received}), and a test can make it send
 * anything ({@link FakeChild#send}).
 */
final class FakeLauncher implements ChildLauncher {

  private static final AtomicLong PIDS = new AtomicLong(1_000_000);

  private final Vertx vertx;
  /** Every child launched, oldest first. */
  final List<FakeChild> launched = new CopyOnWriteArrayList<>();
  /** When false, children never answer {@code initialize} (a prewarm that hangs). */
  volatile boolean childrenGetReady = true;
  /** When set, children answer {@code initialize} with {@code init-failed} and this error (a prewarm that throws). */
  volatile String initError;

  FakeLauncher(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<Void> open() {
    return Future.succeededFuture();
  }

  @Override
  public LaunchedChild launch(ChildLog log) {
    FakeChild child = new FakeChild(PIDS.incrementAndGet());
    launched.add(child);
    vertx.runOnContext(v -> {
      child.started.complete(child.pid);
      child.connected.complete(child.connection);
    });
    return child;
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  /** A message the worker sent a fake child, and when it arrived. */
  record Received(WorkerMessage message, long nanos) {
  }

  final class FakeChild implements LaunchedChild {

    final long pid;
    final Promise<Long> started = Promise.promise();
    final Promise<Integer> exited = Promise.promise();
    final Promise<ChildConnection> connected = Promise.promise();
    final Connection connection = new Connection();
    /** What the worker sent it, in order, each with when it arrived. */
    final List<Received> received = new CopyOnWriteArrayList<>();
    private boolean hung;
    private boolean ignoresShutdown;
    private Object waitingForCancel;

    FakeChild(long pid) {
      this.pid = pid;
    }

    @Override
    public Future<Long> started() {
      return started.future();
    }

    @Override
    public Future<ChildConnection> connected() {
      return connected.future();
    }

    @Override
    public Future<Integer> exited() {
      return exited.future();
    }

    @Override
    public void kill() {
      exit(137);
    }

    void exit(int code) {
      vertx.runOnContext(v -> {
        connection.close();
        exited.tryComplete(code);
      });
    }

    private void answer(WorkerMessage message) {
      if (exited.future().isComplete()) {
        return;
      }
      received.add(new Received(message, System.nanoTime()));
      if (hung) {
        return;
      }
      if (message instanceof WorkerMessage.Initialize) {
        String error = initError;
        if (error != null) {
          reply(new ChildMessage.InitFailed(error));
        } else if (childrenGetReady) {
          reply(new ChildMessage.Ready());
        }
      } else if (message instanceof WorkerMessage.Ping ping) {
        reply(new ChildMessage.Pong(ping.seq()));
      } else if (message instanceof WorkerMessage.Shutdown) {
        if (!ignoresShutdown) {
          exit(0);
        }
      } else if (message instanceof WorkerMessage.Start start) {
        run(start.jobId(), start.payload());
      } else if (message instanceof WorkerMessage.Cancel cancel && cancel.jobId().equals(waitingForCancel)) {
        waitingForCancel = null;
        send(new ChildMessage.Log("info", "cleaning up", new JsonObject(), cancel.jobId()));
        send(new ChildMessage.Done(cancel.jobId(), new JsonObject().put("cancelled", true)));
      }
    }

    /** The types of what the worker sent it, in order. */
    List<String> receivedTypes() {
      return received.stream().map(r -> r.message().type()).toList();
    }

    private void run(Object jobId, JsonObject payload) {
      reply(new ChildMessage.Started(jobId));
      String op = payload.getString("op", "echo");
      switch (op) {
        case "echo" -> {
          for (int i = 0; i < payload.getInteger("outputs", 0); i++) {
            reply(new ChildMessage.Output(jobId, new JsonObject().put("i", i)));
          }
          reply(new ChildMessage.Done(jobId, new JsonObject().put("value", payload.getValue("value"))));
        }
        case "sleep" -> vertx.setTimer(Math.max(1, payload.getLong("ms", 1L)),
          id -> reply(new ChildMessage.Done(jobId, new JsonObject().put("slept", payload.getLong("ms")))));
        case "fail" -> reply(new ChildMessage.Failed(jobId, "failed on purpose"));
        case "crash" -> exit(3);
        case "hang" -> hung = true;
        case "log" -> {
          send(new ChildMessage.Log(payload.getString("level", "info"), payload.getString("message", ""),
            payload.getJsonObject("fields", new JsonObject()), jobId));
          send(new ChildMessage.Done(jobId, new JsonObject()));
        }
        case "wait-cancel" -> waitingForCancel = jobId;
        case "stubborn" -> ignoresShutdown = true;
        default -> reply(new ChildMessage.Failed(jobId, "unknown op " + op));
      }
    }

    /** Sends a message to the worker as this child, after what it sent before. */
    void send(ChildMessage message) {
      reply(message);
    }

    private void reply(ChildMessage message) {
      vertx.runOnContext(v -> {
        if (!connection.closed && !hung) {
          connection.messageHandler.handle(message);
        }
      });
    }

    /** The worker's end of this child's channel. */
    final class Connection implements ChildConnection {

      private Handler<ChildMessage> messageHandler = m -> { };
      private Handler<Void> closeHandler = v -> { };
      private boolean closed;

      /** Read back as a child reads it: the bytes are the protocol's, whichever way the worker made them. */
      @Override
      public Future<Void> sendFrame(byte[] frame) {
        if (closed) {
          return Future.failedFuture("channel closed");
        }
        WorkerMessage message;
        try {
          message = ProtocolCodec.decodeWorkerMessage(Buffer.buffer(frame)).orElseThrow();
        } catch (ProtocolException e) {
          return Future.failedFuture(e);
        }
        vertx.runOnContext(v -> answer(message));
        return Future.succeededFuture();
      }

      @Override
      public void messageHandler(Handler<ChildMessage> handler) {
        this.messageHandler = handler;
      }

      @Override
      public void protocolErrorHandler(Handler<String> handler) {
      }

      @Override
      public void closeHandler(Handler<Void> handler) {
        this.closeHandler = handler;
      }

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          closeHandler.handle(null);
        }
      }
    }
  }
}
