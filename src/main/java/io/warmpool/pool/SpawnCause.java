package io.warmpool.pool;

/** Why the pool starts a process: tags the spawn counter. */
enum SpawnCause {
  /** A job waits for a process. */
  DEMAND,
  /** The idle target asks for one more. */
  TARGET,
  /** A degraded pool learns whether its processes start again. */
  PROBE;

  final String tag = name().toLowerCase();
}
