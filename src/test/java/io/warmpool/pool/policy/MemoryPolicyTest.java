package io.warmpool.pool.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.warmpool.pool.policy.MemoryPolicy.MB;
import static org.assertj.core.api.Assertions.assertThat;

class MemoryPolicyTest {

  @ParameterizedTest(name = "soft {0} MB, resident {1} MB -> recycle {2}")
  @CsvSource({
    "0,   900, false",
    "100,  99, false",
    "100, 100, false",
    "100, 101, true",
  })
  void softLimitRecyclesAfterTheJob(long softMb, long residentMb, boolean recycle) {
    assertThat(new MemoryPolicy(softMb, 0, 0).recycleAfterJob(residentMb * MB)).isEqualTo(recycle);
  }

  @ParameterizedTest(name = "total soft {0} MB, pool {1} MB -> idle spawns {2}")
  @CsvSource({
    "0,   5000, true",
    "500,  499, true",
    "500,  500, false",
    "500,  800, false",
  })
  void totalSoftLimitStopsIdleSpawns(long totalSoftMb, long totalMb, boolean allowed) {
    assertThat(new MemoryPolicy(0, totalSoftMb, 0).allowsIdleSpawns(totalMb * MB, 40 * MB)).isEqualTo(allowed);
  }

  @ParameterizedTest(name = "total hard {0} MB, pool {1} MB, a new process {2} MB -> idle spawns {3}")
  @CsvSource({
    "0,   5000, 40, true",
    "300,  200, 40, true",
    "300,  260, 40, true",
    "300,  261, 40, false",
    // kept over the limit by busy processes: a spawn would only be reaped once ready
    "300,  400, 40, false",
    "300,  299,  0, true",
    "300,  301,  0, false",
  })
  void totalHardLimitStopsIdleSpawnsThatWouldGoOverIt(long totalHardMb, long totalMb, long newMb, boolean allowed) {
    assertThat(new MemoryPolicy(0, 0, totalHardMb).allowsIdleSpawns(totalMb * MB, newMb * MB)).isEqualTo(allowed);
  }

  @Test
  void totalHardLimitReapsTheLargestIdleProcessesUntilUnder() {
    MemoryPolicy policy = new MemoryPolicy(0, 0, 300);
    List<Long> idle = List.of(50 * MB, 120 * MB, 80 * MB);

    assertThat(policy.idleToReap(250 * MB, idle)).isEmpty();
    assertThat(policy.idleToReap(400 * MB, idle)).containsExactly(1);
    assertThat(policy.idleToReap(500 * MB, idle)).containsExactly(1, 2);
    // busy processes are not in the list: when idle ones are not enough, what is left stays
    assertThat(policy.idleToReap(2000 * MB, idle)).containsExactly(1, 2, 0);
    assertThat(new MemoryPolicy(0, 0, 0).idleToReap(2000 * MB, idle)).isEmpty();
  }
}
