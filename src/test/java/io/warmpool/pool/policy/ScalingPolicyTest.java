package io.warmpool.pool.policy;

import io.warmpool.bus.WorkerStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static io.warmpool.bus.WorkerStatus.AVAILABLE;
import static io.warmpool.bus.WorkerStatus.DRAINING;
import static io.warmpool.bus.WorkerStatus.FULL;
import static org.assertj.core.api.Assertions.assertThat;

class ScalingPolicyTest {

  @ParameterizedTest(name = "{0} load={1} jobs={2} maxIdle={3} -> {4}")
  @CsvSource({
    // no active jobs: keep the configured maximum warm
    "AVAILABLE, 0.00, 0, 4, 4",
    "AVAILABLE, 0.30, 0, 4, 4",
    // proportional: (0.75 - load) / (load / jobs), rounded up, capped at maxIdle
    "AVAILABLE, 0.25, 1, 4, 2",
    "AVAILABLE, 0.50, 2, 4, 1",
    "AVAILABLE, 0.10, 1, 4, 4",
    "AVAILABLE, 0.60, 4, 4, 1",
    "AVAILABLE, 0.30, 2, 4, 3",
    "AVAILABLE, 0.05, 1, 2, 2",
    // at or over the threshold the target is zero, never the maximum
    "FULL,      0.75, 3, 4, 0",
    "FULL,      1.00, 8, 4, 0",
    "FULL,      0.72, 3, 4, 0",
    "AVAILABLE, 0.75, 3, 4, 0",
    "DRAINING,  0.00, 0, 4, 0",
    // maxIdle 0 means no warm pool at all
    "AVAILABLE, 0.00, 0, 0, 0",
  })
  void idleTarget(WorkerStatus status, double load, int jobs, int maxIdle, int expected) {
    assertThat(ScalingPolicy.targetIdle(status, load, 0.75, jobs, maxIdle)).isEqualTo(expected);
  }

  @Test
  void fullLoadNeverKeepsIdleProcesses() {
    for (int maxIdle = 0; maxIdle <= 16; maxIdle++) {
      for (int jobs = 0; jobs <= 16; jobs++) {
        assertThat(ScalingPolicy.targetIdle(FULL, 0.9, 0.75, jobs, maxIdle)).isZero();
        assertThat(ScalingPolicy.targetIdle(DRAINING, 0.1, 0.75, jobs, maxIdle)).isZero();
      }
    }
  }

  @ParameterizedTest(name = "target={0} waiting={1} idle={2} init={3} alive={4} -> {7}")
  @CsvSource({
    // target, waiting, idle, initializing, alive, maxProcesses, maxInits, expected
    // cold start: spawn up to the init limit
    "4, 0, 0, 0, 0, 16, 2, 2",
    "4, 0, 0, 2, 2, 16, 2, 0",
    "4, 0, 2, 0, 2, 16, 2, 2",
    // four processes running jobs will not become idle soon: refill all four idle slots
    "4, 0, 0, 0, 4, 16, 4, 4",
    "4, 0, 0, 0, 4, 16, 2, 2",
    // demand: a job waits while the target is 0 (full) and nothing initialises
    "0, 1, 0, 0, 8, 16, 2, 1",
    "0, 3, 0, 1, 8, 16, 2, 1",
    "0, 1, 0, 1, 8, 16, 2, 0",
    // max(target, waiting)
    "2, 5, 0, 0, 0, 16, 8, 5",
    // never over maxProcesses (running and exiting processes count there)
    "4, 0, 0, 0, 15, 16, 2, 1",
    "4, 6, 0, 0, 16, 16, 2, 0",
    // nothing to do, or surplus
    "2, 0, 2, 0, 2, 16, 2, 0",
    "1, 0, 3, 0, 3, 16, 2, 0",
  })
  void spawnCount(int target, int waiting, int idle, int initializing, int alive, int maxProcesses, int maxInits,
                  int expected) {
    assertThat(ScalingPolicy.toSpawn(target, waiting, idle, initializing, alive, maxProcesses, maxInits))
      .isEqualTo(expected);
  }

  @Test
  void runningJobsNeverBlockReplacementSpawns() {
    // the reviewed port counted every spawned process as pending; with 4 jobs running and no
    // idle process it spawned nothing, and a 5th job waited for an unrelated job to end
    for (int running = 0; running <= 12; running++) {
      int spawns = ScalingPolicy.toSpawn(4, 1, 0, 0, running, 16, 16);
      assertThat(spawns).as("running=%d", running).isEqualTo(4);
    }
  }

  @Test
  void availableWithNoLoadKeepsMaximum() {
    assertThat(ScalingPolicy.targetIdle(AVAILABLE, 0.0, 0.75, 3, 4)).isEqualTo(4);
  }
}
