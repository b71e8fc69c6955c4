package io.warmpool.pool;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.BusFailure;
import io.warmpool.bus.Submission;
import io.warmpool.bus.SubmissionCodec;
import io.warmpool.protocol.ProtocolCodec;
import io.warmpool.protocol.WorkerMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;

import static io.warmpool.pool.PoolFixture.await;
import static io.warmpool.pool.PoolFixture.pairs;
import static io.warmpool.pool.PoolFixture.poolCount;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A submission whose {@code start} frame would be over the child protocol's 1 MiB limit is
 * rejected {@code too-large} on the bus, and no process ever sees it: handed over, it made the
 * child exit and was handed to the next, burning three warm processes before failing.
 */
@ExtendWith(VertxExtension.class)
class TooLargeSubmissionTest {

  private PoolFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static ReplyException failure(Future<?> request) throws Exception {
    return (ReplyException) await(request.transform(ar -> Future.succeededFuture(ar.cause())));
  }

  /** A payload whose start frame for {@code jobId} is exactly {@code frameBytes} bytes. */
  private static JsonObject payloadOfFrame(String jobId, int frameBytes) {
    JsonObject payload = pairs("op", "nope", "pad", "");
    int empty = ProtocolCodec.encode(new WorkerMessage.Start(jobId, payload)).length - 1;
    payload.put("pad", "x".repeat(frameBytes - empty));
    assertThat(ProtocolCodec.encode(new WorkerMessage.Start(jobId, payload)).length - 1).isEqualTo(frameBytes);
    return payload;
  }

  @Test
  void aStartFrameOverTheLimitIsRejectedAndNoProcessSeesIt(Vertx vertx) throws Exception {
    Path script = Path.of("src/test/resources/children/echo_child.py").toAbsolutePath();
    fixture = PoolFixture.start(vertx, new JsonObject()
      .put("pool", pairs("maxIdle", 1, "maxJobsPerProcess", 100))
      .put("child", new JsonObject().put("command", new JsonArray().add("python3").add(script.toString()))));
    fixture.awaitInfo("one idle child", info -> poolCount(info, "idle") == 1);
    List<Long> before = fixture.childPids();

    JsonObject reply = fixture.submitRequest(new JsonObject().put("jobId", "too-big")
      .put("payload", payloadOfFrame("too-big", ProtocolCodec.MAX_FRAME_BYTES + 1)));

    assertThat(reply.getString("type")).as("reply %s", reply).isEqualTo("rejected");
    assertThat(reply.getString("reason")).isEqualTo("too-large");
    assertThat(reply.getString("message")).contains("1048577 bytes", "1048576");
    // not a job of this worker at all: no record, no event, the same one warm process
    ReplyException unknown = failure(vertx.eventBus().request(Addresses.DEFAULT.jobsGet(), new JsonObject().put("jobId", "too-big")));
    assertThat(unknown.failureCode()).isEqualTo(BusFailure.NOT_FOUND);
    assertThat(fixture.events("too-big")).isEmpty();
    JsonObject info = fixture.info();
    assertThat(poolCount(info, "processes")).isEqualTo(1);
    assertThat(poolCount(info, "idle")).isEqualTo(1);
    assertThat(fixture.childPids()).isEqualTo(before);

    // a frame of exactly the limit is a child's to read: this one fails in the job, the child lives
    JsonObject accepted = fixture.submitRequest(new JsonObject().put("jobId", "at-limit")
      .put("payload", payloadOfFrame("at-limit", ProtocolCodec.MAX_FRAME_BYTES)));
    assertThat(accepted.getString("type")).as("reply %s", accepted).isEqualTo("accepted");
    String atLimit = "at-limit";
    JsonObject terminal = fixture.awaitTerminal(atLimit);
    assertThat(terminal.getString("reason")).as("%s", terminal).isEqualTo("error");
    assertThat(terminal.getString("detail")).contains("unknown op 'nope'");
    assertThat(fixture.events(atLimit).get(0).getLong("pid")).isEqualTo(before.get(0));
    assertThat(ProcessHandle.of(before.get(0)).map(ProcessHandle::isAlive)).contains(true);
  }

  @Test
  void aPayloadThatIsNotJsonIsABadRequest(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, pairs("pool", pairs("maxIdle", 0)));

    // a verticle of this node may put any object in a typed submission's payload
    SubmissionCodec.registerOn(vertx.eventBus());
    JsonObject payload = new JsonObject().put("op", "echo").put("value", new Object());
    ReplyException bad = failure(vertx.eventBus().request(Addresses.DEFAULT.jobsSubmit(), new Submission("not-json", payload, 0, false)));

    assertThat(bad.failureCode()).isEqualTo(BusFailure.BAD_REQUEST);
    assertThat(bad.getMessage()).startsWith("the payload is not JSON");
    assertThat(fixture.fakes.launched).isEmpty();
  }
}
