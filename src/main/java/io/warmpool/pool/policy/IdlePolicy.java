package io.warmpool.pool.policy;

import java.util.Arrays;

/**
 * How the idle target follows the load ({@code pool.idlePolicy}). {@link #SCALED} is warmpool's;
 * the other two exist so that what it buys can be measured against the alternatives on the
 * same load, in the same worker. Whatever the policy, nothing is spawned for the target while
 * the worker is full: idle processes would only compete with the running ones for the CPU.
 */
public enum IdlePolicy {

  /** The load's target, damped over {@code pool.scaleDownWindowMs}; idle processes above it are closed. */
  SCALED("scaled"),
  /** {@code pool.maxIdle} whatever the load: a pool that does not measure it. */
  FIXED("fixed"),
  /**
   * LiveKit's: the load's target, undamped, only stops spawns; an idle process is never closed
   * to meet a lower one. It wastes no spawn, and keeps what it once spawned.
   */
  SPAWN_ONLY("spawn-only");

  private final String configName;

  IdlePolicy(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** The policy {@code pool.idlePolicy} names (the configuration has checked it is one). */
  public static IdlePolicy of(String configName) {
    return Arrays.stream(values()).filter(p -> p.configName.equals(configName)).findFirst()
      .orElseThrow(() -> new IllegalArgumentException("pool.idlePolicy '" + configName + "'"));
  }
}
