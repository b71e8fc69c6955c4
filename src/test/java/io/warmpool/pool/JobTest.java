package io.warmpool.pool;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobTest {

  @Test
  void anEndedJobLetsGoOfItsPayloadSoThatItsKeptRecordStaysSmall() {
    Job job = new Job("j", new JsonObject().put("text", "x".repeat(60_000)), 0, false, 0, 0);
    assertThat(job.payload()).isNotNull();

    job.end(new JsonObject().put("event", "completed"), 1);

    assertThat(job.payload()).isNull();
    assertThat(job.toJson().getString("state")).isEqualTo("completed");
  }
}
