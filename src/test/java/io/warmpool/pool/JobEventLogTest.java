package io.warmpool.pool;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobEventLogTest {

  private static JsonObject event(String name) {
    return new JsonObject().put("type", "job").put("jobId", "j").put("event", name);
  }

  @Test
  void eventsAreNumberedFromOneAndReplayedAfterTheLastSeen() {
    JobEventLog log = new JobEventLog();
    for (String name : new String[] {"started", "output", "output", "completed"}) {
      assertThat(log.append(event(name), 100, 1 << 20)).isZero();
    }

    JobEventLog.Replay all = log.after(0);
    assertThat(all.events()).extracting(e -> e.getLong("seq")).containsExactly(1L, 2L, 3L, 4L);
    assertThat(all.missed()).isZero();
    assertThat(log.after(2).events()).extracting(e -> e.getString("event")).containsExactly("output", "completed");
    assertThat(log.after(4).events()).isEmpty();
    assertThat(log.nextSeq()).isEqualTo(5);
  }

  @Test
  void beyondTheCountTheOldestGoAndAReplaySaysHowManyItMissed() {
    JobEventLog log = new JobEventLog();
    int dropped = 0;
    for (int i = 0; i < 10; i++) {
      dropped += log.append(event("output").put("data", i), 3, 1 << 20);
    }

    assertThat(dropped).isEqualTo(7);
    JobEventLog.Replay replay = log.after(2);
    assertThat(replay.events()).extracting(e -> e.getLong("seq")).containsExactly(8L, 9L, 10L);
    assertThat(replay.missed()).as("seqs 3 to 7 are gone").isEqualTo(5);
    assertThat(log.after(8).missed()).isZero();
  }

  @Test
  void beyondTheBytesTheOldestGoButTheNewestStaysWhateverItWeighs() {
    JobEventLog log = new JobEventLog();
    log.append(event("output").put("data", "x".repeat(100)), 100, 400);
    log.append(event("output").put("data", "y".repeat(100)), 100, 400);
    assertThat(log.after(0).events()).as("both kept").hasSize(2);

    int dropped = log.append(event("completed").put("result", "z".repeat(1000)), 100, 400);

    assertThat(dropped).isEqualTo(2);
    assertThat(log.after(0).events()).extracting(e -> e.getString("event")).containsExactly("completed");
    assertThat(log.bytes()).isGreaterThan(1000);
  }
}
