package io.warmpool.pool;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PoolCountsTest {

  private static ChildProcess process(ProcessState state, int jobsRun, int maxJobs) {
    ChildProcess process = new ChildProcess(1, "token", 0);
    process.maxJobs = maxJobs;
    process.jobsRun = jobsRun;
    for (ProcessState next : List.of(ProcessState.INITIALIZING, ProcessState.IDLE, ProcessState.RUNNING)) {
      if (process.state() == state) {
        break;
      }
      process.moveTo(next);
    }
    return process;
  }

  @Test
  void countsEachStateFromTheProcesses() {
    PoolCounts counts = PoolCounts.of(List.of(process(ProcessState.SPAWNED, 0, 1), process(ProcessState.INITIALIZING, 0, 1),
      process(ProcessState.IDLE, 0, 1), process(ProcessState.RUNNING, 0, 1)));

    assertThat(counts).isEqualTo(new PoolCounts(2, 1, 1, 0, 0));
    assertThat(counts.alive()).isEqualTo(4);
  }

  /** Only these can come back as idle processes over the target (the scale-down keeps them). */
  @Test
  void returningAreTheRunningProcessesThatGoBackToTheIdleQueue() {
    ChildProcess overSoftLimit = process(ProcessState.RUNNING, 0, 10);
    overSoftLimit.recycleAfterJob = true;

    PoolCounts counts = PoolCounts.of(List.of(
      process(ProcessState.RUNNING, 0, 10),
      process(ProcessState.RUNNING, 9, 10),
      process(ProcessState.RUNNING, 0, 1),
      overSoftLimit,
      process(ProcessState.IDLE, 0, 10)));

    assertThat(counts.running()).isEqualTo(4);
    assertThat(counts.returning()).as("only the first: the others are on their last job").isEqualTo(1);
  }
}
