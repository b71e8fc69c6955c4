package io.warmpool.pool;

import io.vertx.core.json.JsonObject;
import io.warmpool.bus.Submission;
import io.warmpool.protocol.ProtocolCodec;
import io.warmpool.protocol.WorkerMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobTest {

  @Test
  void anEndedJobLetsGoOfItsPayloadSoThatItsKeptRecordStaysSmall() {
    JsonObject payload = new JsonObject().put("text", "x".repeat(60_000));
    Job job = new Job(new Submission("j", payload, 0, false), ProtocolCodec.encode(new WorkerMessage.Start("j", payload)), 0, 0);
    assertThat(job.startFrame()).isNotNull();

    job.end(new JsonObject().put("event", "completed"), 1);

    assertThat(job.startFrame()).isNull();
    assertThat(job.toJson().getString("state")).isEqualTo("completed");
  }
}
