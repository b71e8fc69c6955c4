package io.warmpool.web;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.WsClient;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.BusFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that stops reading cannot make the worker hold more than a bounded number of bytes
 * for it, whatever it makes the worker answer: its frames are no longer read once its queue is
 * over web.sendQueuePauseBytes, and it is closed, with the reason, when it stays there for
 * web.stallCloseMs or its queue would pass web.sendQueueMaxBytes; all such clients together may
 * not pass web.sendQueueTotalBytes. /health answers meanwhile. (How fast it answers under many
 * such clients is a testbed measurement, not asserted here.)
 */
@ExtendWith(VertxExtension.class)
class SlowClientTest {

  private static final int PAUSE_BYTES = 64 * 1024;
  private static final int MAX_BYTES = 256 * 1024;

  private WebFixture worker;
  private final List<WsClient> nonReaders = new ArrayList<>();

  /**
   * A client that reads nothing, with a small fixed receive buffer: loopback's would grow to
   * tens of MB first, which only makes the test slower.
   */
  private WsClient nonReader() throws Exception {
    WsClient client = worker.client(new WebSocketClientOptions().setReceiveBufferSize(16 * 1024), "/ws", null);
    client.ws.pause();
    nonReaders.add(client);
    return client;
  }

  @AfterEach
  void close() throws Exception {
    // a client that reads nothing would not see the answer to its own close either
    for (WsClient client : nonReaders) {
      if (!client.closed) {
        client.ws.textMessageHandler(text -> { });
        client.ws.resume();
      }
    }
    if (worker != null) {
      worker.close();
    }
  }

  private WebFixture start(Vertx vertx, long stallCloseMs, JsonObject more) throws Exception {
    return new WebFixture(vertx, new JsonObject()
      .put("web", new JsonObject().put("sendQueuePauseBytes", PAUSE_BYTES).put("sendQueueMaxBytes", MAX_BYTES)
        .put("stallCloseMs", stallCloseMs).put("maxFrameBytes", 256 * 1024))
      .mergeIn(more, true));
  }

  /** GET /health every 100 ms on a thread of its own until closed; the statuses it got. */
  private static final class HealthProbe implements AutoCloseable {
    private final List<Integer> statuses = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    HealthProbe(WebFixture worker) {
      thread = new Thread(() -> {
        while (running) {
          try {
            statuses.add(worker.get("/health", null).status());
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          } catch (Exception e) {
            statuses.add(-1);
          }
        }
      }, "health-probe");
      thread.start();
    }

    List<Integer> answers() throws InterruptedException {
      running = false;
      thread.join();
      return statuses;
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join();
    }
  }

  /** The most bytes ever seen queued for clients, sampled every few milliseconds until {@link #stop}. */
  private static final class QueueWatch {
    final AtomicLong most = new AtomicLong();
    final long timer;
    final Vertx vertx;

    QueueWatch(Vertx vertx, WebFixture worker) {
      this.vertx = vertx;
      this.timer = vertx.setPeriodic(5, id -> most.accumulateAndGet((long) worker.metric("warmpool.ws.queued.bytes"), Math::max));
    }

    long stop() {
      vertx.cancelTimer(timer);
      return most.get();
    }
  }

  /**
   * Sends frames as fast as the client's socket takes them until {@code done} (a condition seen
   * on the worker's side); the number sent. Fails after a minute.
   */
  private static int flood(WsClient client, String frame, BooleanSupplier done) throws Exception {
    return flood(client, () -> client.ws.writeTextMessage(frame), done);
  }

  private static int flood(WsClient client, Runnable send, BooleanSupplier done) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    int sent = 0;
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("still flooding after a minute, %d frames sent", sent).isLessThan(deadline);
      for (int i = 0; i < 64 && !client.ws.writeQueueFull(); i++) {
        send.run();
        sent++;
      }
      if (client.ws.writeQueueFull()) {
        CountDownLatch drained = new CountDownLatch(1);
        client.ws.drainHandler(v -> drained.countDown());
        drained.await(100, TimeUnit.MILLISECONDS);
      }
    }
    return sent;
  }

  /** The worker has stopped reading {@code clients} of its clients, because they do not take what is queued for them. */
  private BooleanSupplier paused(int clients) {
    return () -> worker.metric("warmpool.ws.paused.clients") >= clients;
  }

  /** {@code condition} has held for a second, or {@code now} holds. */
  private static BooleanSupplier steadily(BooleanSupplier condition, BooleanSupplier now) {
    long[] since = {0};
    return () -> {
      if (now.getAsBoolean()) {
        return true;
      }
      if (!condition.getAsBoolean()) {
        since[0] = 0;
        return false;
      }
      if (since[0] == 0) {
        since[0] = System.nanoTime();
      }
      return System.nanoTime() - since[0] >= 1_000_000_000L;
    };
  }

  private BooleanSupplier closed() {
    return () -> worker.metric("warmpool.ws.stalled.closed") >= 1;
  }

  @Test
  void aClientThatDoesNotReadButKeepsEarningErrorsIsPausedThenClosedWithTheReason(Vertx vertx) throws Exception {
    worker = start(vertx, 5000, new JsonObject());
    WsClient client = nonReader();
    QueueWatch watch = new QueueWatch(vertx, worker);

    // each frame earns an error reply of ~170 bytes: unbounded queueing would grow without end.
    // The network's buffers take a few MB of them first, then the worker's queue fills, the
    // worker stops reading the client, and closes it web.stallCloseMs later
    try (HealthProbe health = new HealthProbe(worker)) {
      flood(client, new JsonObject().put("op", "fly-" + "x".repeat(40)).encode(), paused(1));
      flood(client, new JsonObject().put("op", "fly").encode(), closed());
      assertThat(health.answers()).as("/health answered while the client misbehaved").isNotEmpty().containsOnly(200);
    }
    client.ws.resume();
    WebFixture.waitFor("the close to reach the client", () -> client.closed);
    assertThat(client.closeCode).isEqualTo((short) 1008);
    assertThat(client.closeReason).isEqualTo("stalled: not reading");
    assertThat(worker.metric("warmpool.ws.stalled.closed", "reason", "stalled")).isEqualTo(1);
    assertThat(client.frames).as("the replies queued before the pause arrive first")
      .isNotEmpty().allMatch(f -> "unknown-op".equals(f.getString("code")));
    assertThat(watch.stop()).as("bytes ever queued").isLessThanOrEqualTo(MAX_BYTES);
    assertThat(worker.metric("warmpool.ws.queued.bytes")).isZero();

    // the worker serves others as before
    WsClient other = worker.client();
    other.submit("after", new JsonObject().put("op", "echo").put("value", 1));
    assertThat(other.reply("after").getString("type")).isEqualTo("accepted");
  }

  /**
   * Vert.x answers pings by itself, outside the worker's own send queue, and gives a ping back
   * the demand it took: the worker must still stop reading a client that pings and does not
   * read, or pongs pile up in its heap.
   */
  @Test
  void aClientThatPingsWithoutReadingIsNoLongerRead(Vertx vertx) throws Exception {
    worker = start(vertx, 60_000, new JsonObject());
    WsClient client = worker.client(new WebSocketClientOptions().setReceiveBufferSize(16 * 1024).setSendBufferSize(16 * 1024),
      "/ws", null);
    client.ws.pause();
    nonReaders.add(client);
    Buffer ping = Buffer.buffer("p".repeat(125));

    try (HealthProbe health = new HealthProbe(worker)) {
      flood(client, () -> client.ws.writePing(ping), paused(1));
      // the worker takes no more of its pings: they stay in the client's own queue
      flood(client, () -> client.ws.writePing(ping), steadily(client.ws::writeQueueFull, () -> false));
      assertThat(health.answers()).as("/health answered while the client misbehaved").isNotEmpty().containsOnly(200);
    }
    assertThat(worker.metric("warmpool.ws.paused.clients")).isEqualTo(1);
  }

  /**
   * A client that reads everything but sends requests faster than the pool answers them: its
   * unanswered requests are bounded too, not only its queued replies. Here the pool answers
   * none of the watches a second consumer takes (the bus gives it every other one).
   */
  @Test
  void aClientsUnansweredRequestsAreBounded(Vertx vertx) throws Exception {
    worker = start(vertx, 60_000, new JsonObject());
    List<Message<Object>> unanswered = new CopyOnWriteArrayList<>();
    MessageConsumer<Object> holder = vertx.eventBus().consumer(Addresses.DEFAULT.jobsGet(), unanswered::add);
    WebFixture.await(holder.completion());
    WsClient client = worker.client(new WebSocketClientOptions().setSendBufferSize(16 * 1024), "/ws", null);
    String watch = new JsonObject().put("op", "watch").put("jobId", "not-answered").encode();

    // the worker stops reading it, so its own writes back up although it reads all it gets
    flood(client, watch, steadily(client.ws::writeQueueFull, () -> false));

    assertThat(unanswered).as("requests the pool holds for it").hasSizeLessThanOrEqualTo(WsSession.MAX_REQUESTS_IN_FLIGHT);
    assertThat(client.frames).as("the answered ones came back").isNotEmpty()
      .allMatch(f -> "not-found".equals(f.getString("code")));
    // answered at last (and the pool alone answers from now on), the worker reads the client again, and its close at the end
    WebFixture.await(holder.unregister());
    unanswered.forEach(message -> message.fail(BusFailure.NOT_FOUND, "not answered"));
    WebFixture.waitFor("the client read again", () -> !client.ws.writeQueueFull());
  }

  /** A client that pings without reading is closed after web.stallCloseMs like any that does not read. */
  @Test
  void aClientThatPingsWithoutReadingIsClosedWhenStalled(Vertx vertx) throws Exception {
    worker = start(vertx, 1000, new JsonObject());
    WsClient client = nonReader();
    Buffer ping = Buffer.buffer("p".repeat(125));

    flood(client, () -> client.ws.writePing(ping), closed());

    assertThat(worker.metric("warmpool.ws.stalled.closed", "reason", "stalled")).isEqualTo(1);
  }

  @Test
  void aClientThatDoesNotReadButSubmitsJobsWithLargeResultsIsClosedAtTheCap(Vertx vertx) throws Exception {
    // one process: jobs end one at a time while the client's next ones wait (the rest are
    // rejected, capacity), so a job is always under way when the queue crosses the pause mark
    worker = start(vertx, 60_000, new JsonObject()
      .put("web", new JsonObject().put("maxFrameBytes", 512 * 1024))
      .put("pool", new JsonObject().put("maxIdle", 1).put("maxProcesses", 1).put("maxJobsPerProcess", 1000)));
    WebFixture.waitFor("a warm process", () -> worker.get("/worker", null).json().getJsonObject("pool").getInteger("idle") == 1);
    WsClient client = nonReader();
    QueueWatch watch = new QueueWatch(vertx, worker);

    // every job that ends queues its terminal event, ~200 KB, which is never dropped: the network
    // takes a few MB of them, then two are more than web.sendQueueMaxBytes. Submitted for as long
    // as the worker reads them: how many jobs end meanwhile depends on the machine
    String value = "v".repeat(200_000);
    String submit = new JsonObject().put("op", "submit").put("payload", new JsonObject().put("op", "echo").put("value", value)).encode();
    flood(client, submit, closed());

    WebFixture.waitFor("the client to be closed at the cap", () -> worker.metric("warmpool.ws.stalled.closed") == 1);
    assertThat(worker.get("/health", null).status()).isEqualTo(200);
    client.ws.resume();
    WebFixture.waitFor("the close to reach the client", () -> client.closed);
    assertThat(client.closeCode).isEqualTo((short) 1008);
    assertThat(client.closeReason).isEqualTo("over web.sendQueueMaxBytes: not reading");
    assertThat(worker.metric("warmpool.ws.stalled.closed", "reason", "client")).isEqualTo(1);
    assertThat(client.frames).as("terminal events reached it before the close")
      .anyMatch(f -> "completed".equals(f.getString("event")));
    assertThat(watch.stop()).as("bytes ever queued").isLessThanOrEqualTo(MAX_BYTES);
  }

  /**
   * Any number of such clients: together they may not pass web.sendQueueTotalBytes either. A
   * client that is not read holds at least half the pause mark (under that it would be read
   * again, and its queue fill again), so of three such clients with a budget of one and a half
   * pause marks one must be closed before it reaches its own pause mark.
   */
  @Test
  void clientsThatDoNotReadShareOneBudgetAndTheOneThatWouldPassItIsClosed(Vertx vertx) throws Exception {
    int budget = 3 * PAUSE_BYTES / 2;
    worker = start(vertx, 60_000, new JsonObject().put("web", new JsonObject()
      .put("sendQueueMaxBytes", budget).put("sendQueueTotalBytes", budget)));
    QueueWatch watch = new QueueWatch(vertx, worker);
    String frame = new JsonObject().put("op", "fly").encode();

    for (int i = 1; i <= 3 && worker.metric("warmpool.ws.stalled.closed") == 0; i++) {
      int clients = i;
      // sent to for a second more once it is not read, so that it always has frames waiting to
      // be read: its queue could not stay under half the pause mark for long
      flood(nonReader(), frame, steadily(() -> worker.metric("warmpool.ws.paused.clients") >= clients, closed()));
    }

    assertThat(worker.metric("warmpool.ws.stalled.closed", "reason", "total")).isEqualTo(1);
    assertThat(worker.metric("warmpool.ws.stalled.closed")).as("closed, all reasons").isEqualTo(1);
    assertThat(worker.get("/health", null).status()).isEqualTo(200);
    assertThat(watch.stop()).as("bytes ever queued, all clients").isLessThanOrEqualTo(budget);
  }

  /** A client that reads is not closed for one frame larger than the cap: it goes when nothing else waits. */
  @Test
  void aResultLargerThanTheCapStillReachesAClientThatReads(Vertx vertx) throws Exception {
    worker = start(vertx, 60_000, new JsonObject().put("web", new JsonObject().put("maxFrameBytes", 1 << 20)));
    WsClient client = worker.client();

    client.submit("big", new JsonObject().put("op", "echo").put("value", "b".repeat(MAX_BYTES + 50_000)));

    String jobId = client.reply("big").getString("jobId");
    JsonObject completed = client.terminal(jobId);
    assertThat(completed.getJsonObject("result").getString("value")).hasSize(MAX_BYTES + 50_000);
    assertThat(client.closed).isFalse();
    assertThat(worker.metric("warmpool.ws.stalled.closed")).isZero();
  }
}
