package io.warmpool.bus;

/** Why a submission was rejected: the {@code reason} of a {@code rejected} reply. */
public enum RejectReason {
  /** The load is at or over the threshold (counting jobs accepted but not yet seen in the load). */
  FULL("full"),
  /** The worker is shutting down. */
  DRAINING("draining"),
  /** A job with that id is known already. */
  DUPLICATE("duplicate"),
  /** A limit on waiting jobs or on connections was reached. */
  CAPACITY("capacity"),
  /**
   * The job's {@code start} frame would be over the child protocol's frame limit
   * ({@code ProtocolCodec.MAX_FRAME_BYTES}): no child could read it, on any node.
   */
  TOO_LARGE("too-large"),
  /**
   * Processes fail to start (the pool is degraded) and none is idle: the job would only wait to
   * fail {@code init-failed}. The message carries the last initialisation error.
   */
  DEGRADED("degraded");

  private final String wireName;

  RejectReason(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
