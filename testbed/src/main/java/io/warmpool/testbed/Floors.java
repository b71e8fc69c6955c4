package io.warmpool.testbed;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import io.warmpool.config.ConfigLoader;
import io.warmpool.javachild.JavaChildCommand;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the hops of a start would cost with nothing of warmpool's in them, each measured one at
 * a time with the same spacing as the starts, so that each hop of {@link HopTable} has its floor
 * beside it: a bare Vert.x WebSocket echo in a JVM of its own ({@link EchoServer}), an event
 * bus request between two verticles, and a line to another JVM and back over a loopback socket
 * (a Vert.x socket on this side, a blocking reader on the other, as with a Java child).
 */
final class Floors {

  private Floors() {
  }

  /** The bare WebSocket echo server, listening on {@code port} once this returns. */
  static JvmProcess echoServer(int port) throws IOException, InterruptedException {
    JvmProcess server = new JvmProcess(EchoServer.class, List.of(), List.of(Integer.toString(port)));
    server.awaitFirstLine("listening");
    return server;
  }

  /** An event bus request from one verticle to another: the one-way hop (send → consumer), in µs. */
  static Histogram busHop(Vertx vertx, int warmup, int count, long gapMs) throws Exception {
    long[] sentNanos = {0};
    Histogram oneWay = RoundTrips.microseconds();
    String address = "floor.bus-hop." + System.nanoTime();
    String consumer = LoadTest.await(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.eventBus().<String>localConsumer(address, message -> {
          RoundTrips.recordNanos(oneWay, System.nanoTime() - sentNanos[0]);
          message.reply(message.body());
        }).completion();
      }
    }), 10_000);
    Promise<Void> done = Promise.promise();
    String sender = LoadTest.await(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        paced(vertx, warmup, count, gapMs, () -> {
          sentNanos[0] = System.nanoTime();
          return vertx.eventBus().request(address, "hop").mapEmpty();
        }, oneWay::reset, done);
        return Future.succeededFuture();
      }
    }), 10_000);
    try {
      LoadTest.await(done.future(), 120_000);
      return oneWay;
    } finally {
      LoadTest.await(vertx.undeploy(sender).compose(v -> vertx.undeploy(consumer)), 10_000);
    }
  }

  /**
   * A line to another JVM and back ({@link LineEcho}, started with a Java child's JVM options),
   * over a loopback socket read by Vert.x on this side as the pool reads a child: round trip, µs.
   */
  static Histogram processRoundTrip(Vertx vertx, int warmup, int count, long gapMs) throws Exception {
    Promise<NetSocket> connected = Promise.promise();
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true))
      .connectHandler(connected::tryComplete);
    LoadTest.await(server.listen(), 10_000);
    List<String> childOptions = JavaChildCommand.runnableHere(ConfigLoader.DEFAULT_JVM_OPTIONS);
    try (JvmProcess echo = new JvmProcess(LineEcho.class, childOptions, List.of(Integer.toString(server.actualPort())))) {
      NetSocket socket = LoadTest.await(connected.future(), 30_000);
      Histogram roundTrip = RoundTrips.microseconds();
      Promise<Void> done = Promise.promise();
      Promise<Void>[] answered = new Promise[1];
      RecordParser.newDelimited("\n", socket).handler(line -> answered[0].tryComplete());
      vertx.runOnContext(v -> paced(vertx, warmup, count, gapMs, () -> {
        long sent = System.nanoTime();
        answered[0] = Promise.promise();
        socket.write(Buffer.buffer("{\"type\":\"start\",\"jobId\":\"floor\"}\n"));
        return answered[0].future().onSuccess(read -> RoundTrips.recordNanos(roundTrip, System.nanoTime() - sent));
      }, roundTrip::reset, done));
      LoadTest.await(done.future(), 120_000);
      socket.close();
      return roundTrip;
    } finally {
      server.close();
    }
  }

  /**
   * {@code warmup + count} trips one at a time, {@code gapMs} apart, on the caller's context;
   * {@code warmedUp} runs before the first recorded one (to forget what the warm-up recorded).
   */
  private static void paced(Vertx vertx, int warmup, int count, long gapMs, Supplier<Future<Void>> trip,
                            Runnable warmedUp, Promise<Void> done) {
    long[] n = {0};
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (n[0] == warmup) {
        warmedUp.run();
      }
      trip.get().onComplete(result -> {
        if (result.failed()) {
          done.tryFail(result.cause());
        } else if (++n[0] == warmup + count) {
          done.tryComplete();
        } else {
          vertx.setTimer(gapMs, id -> next[0].run());
        }
      });
    };
    next[0].run();
  }
}
