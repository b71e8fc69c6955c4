package io.warmpool.pool;

import io.vertx.core.json.JsonObject;
import io.warmpool.bus.Submission;
import io.warmpool.protocol.ProtocolCodec;
import io.warmpool.protocol.WorkerMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bounds on ended jobs' records: age, count, weight; dropped ids remembered. */
class JobRegistryTest {

  private final List<JobRegistry.DropCause> drops = new ArrayList<>();

  private static Job endedJob(String id, long endedAtMillis, int resultChars) {
    Job job = new Job(new Submission(id, new JsonObject(), 0, false), ProtocolCodec.encode(new WorkerMessage.Start(id, new JsonObject())), 0, 0);
    JsonObject terminal = new JsonObject().put("type", "job").put("jobId", id).put("event", "completed")
      .put("result", "r".repeat(resultChars));
    job.end(terminal, endedAtMillis);
    job.record(terminal, 100, 1 << 20);
    return job;
  }

  private JobRegistry registry(long retainMs, int maxRecords, long maxBytes) {
    return new JobRegistry(retainMs, maxRecords, maxBytes, drops::add);
  }

  private static void endIn(JobRegistry registry, Job job) {
    registry.add(job);
    registry.ended(job);
  }

  @Test
  void beyondTheCountTheOldestRecordIsDroppedAndItsIdRemembered() {
    JobRegistry registry = registry(60_000, 2, 1 << 20);

    for (String id : new String[] {"a", "b", "c"}) {
      endIn(registry, endedJob(id, 0, 1));
    }

    assertThat(registry.contains("a")).isFalse();
    assertThat(registry.wasDropped("a")).isTrue();
    assertThat(registry.contains("b")).isTrue();
    assertThat(registry.contains("c")).isTrue();
    assertThat(registry.wasDropped("never-submitted")).isFalse();
    assertThat(drops).containsExactly(JobRegistry.DropCause.COUNT);
  }

  @Test
  void beyondTheWeightTheOldestRecordsAreDropped() {
    JobRegistry registry = registry(60_000, 100, 2_500);

    for (String id : new String[] {"a", "b", "c"}) {
      endIn(registry, endedJob(id, 0, 1_000));
    }

    assertThat(registry.contains("a")).isFalse();
    assertThat(registry.contains("c")).isTrue();
    assertThat(drops).containsOnly(JobRegistry.DropCause.BYTES);
  }

  @Test
  void recordsOlderThanTheRetentionAreDroppedByAge() {
    JobRegistry registry = registry(1_000, 100, 1 << 20);
    endIn(registry, endedJob("old", 0, 1));
    endIn(registry, endedJob("new", 900, 1));

    registry.expire(1_000);

    assertThat(registry.contains("old")).isFalse();
    assertThat(registry.contains("new")).isTrue();
    assertThat(drops).containsExactly(JobRegistry.DropCause.AGE);
  }

  @Test
  void theRememberedIdsAreBoundedToo() {
    JobRegistry registry = registry(60_000, 2, 1 << 20);

    for (int i = 0; i < 10; i++) {
      endIn(registry, endedJob("j" + i, 0, 1));
    }

    // 8 dropped, the last 2 of them remembered
    assertThat(registry.wasDropped("j0")).isFalse();
    assertThat(registry.wasDropped("j6")).isTrue();
    assertThat(registry.wasDropped("j7")).isTrue();
  }
}
