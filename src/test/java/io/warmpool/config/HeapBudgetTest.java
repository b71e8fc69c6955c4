package io.warmpool.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class HeapBudgetTest {

  private static final long MB = 1024 * 1024;

  @Test
  void sumsWhatEachSettingBounds() throws Exception {
    WorkerConfig config = ConfigLoader.fromJson(new JsonObject()
      .put("web", new JsonObject().put("sendQueueTotalBytes", 10 * MB).put("sendQueueMaxBytes", 1024 * 1024))
      .put("job", new JsonObject().put("maxRecordsMb", 20).put("maxRecords", 1024).put("maxEventsKeptKb", 512))
      .put("pool", new JsonObject().put("maxProcesses", 4).put("maxIdle", 2)), Map.of());

    HeapBudget budget = HeapBudget.of(config);

    assertThat(budget.sendQueuesBytes()).isEqualTo(10 * MB);
    assertThat(budget.endedJobsBytes()).isEqualTo(20 * MB + 1024 * HeapBudget.RECORD_BYTES);
    assertThat(budget.activeJobsBytes()).as("4 waiting and 4 running payloads of a frame each, 4 running event logs")
      .isEqualTo(8 * MB + 2 * MB);
    assertThat(budget.totalBytes()).isEqualTo(HeapBudget.BASE_BYTES + 10 * MB + 22 * MB + 10 * MB);
  }

  @Test
  void aLargerWaitingRoomHoldsMorePayloads() throws Exception {
    WorkerConfig config = ConfigLoader.fromJson(new JsonObject()
      .put("job", new JsonObject().put("maxEventsKeptKb", 512))
      .put("pool", new JsonObject().put("maxProcesses", 4).put("maxIdle", 2).put("maxWaitingJobs", 60)), Map.of());

    assertThat(HeapBudget.of(config).activeJobsBytes()).as("60 waiting and 4 running payloads, 4 running event logs")
      .isEqualTo(64 * MB + 2 * MB);
    assertThat(HeapBudget.of(config).shortfall(64 * MB)).contains("pool.maxWaitingJobs");
  }

  @Test
  void aSmallHeapGetsAnAnswerThatNamesTheHeapToGive() throws Exception {
    HeapBudget budget = HeapBudget.of(ConfigLoader.defaults());

    String answer = budget.shortfall(128 * MB);

    assertThat(answer).contains("the heap (128 MB)").contains("-Xmx" + (budget.smallestHeapBytes() + MB - 1) / MB + "m")
      .contains("web.sendQueueTotalBytes");
    assertThat(budget.shortfall(budget.smallestHeapBytes())).isNull();
  }

  /** `make run` gives the worker the heap its shipped configuration needs, and docs/operations.md says which. */
  @Test
  void makeRunsHeapFitsTheShippedConfiguration() throws Exception {
    Matcher heap = Pattern.compile("(?m)^WORKER_HEAP \\?= (\\d+)m$").matcher(Files.readString(Path.of("Makefile")));
    assertThat(heap.find()).as("WORKER_HEAP in the Makefile").isTrue();
    long heapMb = Long.parseLong(heap.group(1));

    HeapBudget budget = HeapBudget.of(ConfigLoader.load(Path.of("conf/worker.json"), Map.of()));

    assertThat(budget.shortfall(heapMb * MB)).isNull();
    assertThat(Files.readString(Path.of("docs/operations.md"))).contains("-Xmx" + heapMb + "m");
  }
}
