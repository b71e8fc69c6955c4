package io.warmpool.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that stops reading cannot make the worker hold more than a bounded number of bytes
 * for it, whatever it makes the worker answer: its frames are no longer read once its queue is
 * over web.sendQueuePauseBytes, and it is closed, with the reason, when it stays there for
 * web.stallCloseMs or its queue would pass web.sendQueueMaxBytes. /health answers meanwhile. (How
 * fast it answers under many such clients is a testbed measurement, not asserted here.)
 */
@ExtendWith(VertxExtension.class)
class SlowClientTest {

  private static final int PAUSE_BYTES = 64 * 1024;
  private static final int MAX_BYTES = 256 * 1024;

  private WebFixture worker;

  /**
   * A client that reads nothing, with a small fixed receive buffer: loopback's would grow to
   * tens of MB first, which only makes the test slower.
   */
  private WsClient nonReader() throws Exception {
    WsClient client = worker.client(new WebSocketClientOptions().setReceiveBufferSize(16 * 1024), "/ws", null);
    client.ws.pause();
    return client;
  }

  @AfterEach
  void close() throws Exception {
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
   * Sends frames as fast as the worker takes them, until it stops taking them (its socket no
   * longer reads, for half a second) or {@code max} have gone; the number sent.
   */
  private static int flood(WsClient client, String frame, int max) throws Exception {
    int sent = 0;
    while (sent < max && !client.closed) {
      if (client.ws.writeQueueFull()) {
        CountDownLatch drained = new CountDownLatch(1);
        client.ws.drainHandler(v -> drained.countDown());
        if (client.ws.writeQueueFull() && !drained.await(500, TimeUnit.MILLISECONDS)) {
          return sent;
        }
        continue;
      }
      client.ws.writeTextMessage(frame);
      sent++;
    }
    return sent;
  }

  @Test
  void aClientThatDoesNotReadButKeepsEarningErrorsIsPausedThenClosedWithTheReason(Vertx vertx) throws Exception {
    worker = start(vertx, 2000, new JsonObject());
    WsClient client = nonReader();
    QueueWatch watch = new QueueWatch(vertx, worker);

    // each frame earns an error reply of ~170 bytes: unbounded queueing would grow without end
    int sent = flood(client, new JsonObject().put("op", "fly-" + "x".repeat(40)).encode(), 200_000);

    assertThat(sent).as("frames the worker took before it stopped reading").isLessThan(200_000);
    assertThat(worker.get("/health", null).status()).as("/health answers while the client misbehaves").isEqualTo(200);
    WebFixture.waitFor("the stalled client to be closed", () -> worker.metric("warmpool.ws.stalled.closed") == 1);
    assertThat(worker.get("/health", null).status()).isEqualTo(200);
    client.ws.resume();
    WebFixture.waitFor("the close to reach the client", () -> client.closed);
    assertThat(client.closeCode).isEqualTo((short) 1008);
    assertThat(client.closeReason).isEqualTo("stalled: not reading");
    assertThat(client.frames).as("the replies queued before the pause arrive first")
      .isNotEmpty().allMatch(f -> "unknown-op".equals(f.getString("code")));
    assertThat(watch.stop()).as("bytes ever queued").isLessThanOrEqualTo(MAX_BYTES);
    assertThat(worker.metric("warmpool.ws.queued.bytes")).isZero();

    // the worker serves others as before
    WsClient other = worker.client();
    other.submit("after", new JsonObject().put("op", "echo").put("value", 1));
    assertThat(other.reply("after").getString("type")).isEqualTo("accepted");
  }

  @Test
  void aClientThatDoesNotReadButSubmitsJobsWithLargeResultsIsClosedAtTheCap(Vertx vertx) throws Exception {
    // one process: jobs end one at a time while the client's next ones wait (the rest are
    // rejected, capacity), so a job is always under way when the queue crosses the pause mark
    worker = start(vertx, 60_000, new JsonObject()
      .put("web", new JsonObject().put("maxFrameBytes", 512 * 1024))
      .put("pool", new JsonObject().put("maxIdle", 1).put("maxProcesses", 1).put("maxJobsPerProcess", 1000)));
    WsClient client = nonReader();
    QueueWatch watch = new QueueWatch(vertx, worker);

    // every job that ends queues its terminal event, ~200 KB, which is never dropped: the network
    // takes a few MB of them, then two are more than web.sendQueueMaxBytes
    String value = "v".repeat(200_000);
    String submit = new JsonObject().put("op", "submit").put("payload", new JsonObject().put("op", "echo").put("value", value)).encode();
    flood(client, submit, 1000);

    WebFixture.waitFor("the client to be closed at the cap", () -> worker.metric("warmpool.ws.stalled.closed") == 1);
    assertThat(worker.get("/health", null).status()).isEqualTo(200);
    client.ws.resume();
    WebFixture.waitFor("the close to reach the client", () -> client.closed);
    assertThat(client.closeCode).isEqualTo((short) 1008);
    assertThat(client.closeReason).isEqualTo("over web.sendQueueMaxBytes: not reading");
    assertThat(client.frames).as("terminal events reached it before the close")
      .anyMatch(f -> "completed".equals(f.getString("event")));
    assertThat(watch.stop()).as("bytes ever queued").isLessThanOrEqualTo(MAX_BYTES);
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
