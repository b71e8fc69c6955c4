package io.warmpool.config;

import io.warmpool.protocol.ProtocolCodec;

/**
 * The most heap the worker's bounded parts can hold at once under a configuration: what a heap
 * smaller than this risks, whatever clients and jobs do. Each part is capped by a setting; the
 * sum is what {@code -Xmx} must leave room for, with the garbage collector's headroom on top.
 *
 * @param sendQueuesBytes   WebSocket frames queued for clients that read slowly or not at all
 * @param endedJobsBytes    records and kept events of finished jobs
 * @param activeJobsBytes   payloads and kept events of jobs waiting or running
 */
public record HeapBudget(long sendQueuesBytes, long endedJobsBytes, long activeJobsBytes) {

  private static final long MB = 1024 * 1024;
  /** The worker's own live heap with nothing queued or kept: about 9 MB measured, rounded up for young-generation churn. */
  public static final long BASE_BYTES = 32 * MB;
  /** A finished job's record beside its events: ids, times, state (about 2 KB measured in a soak). */
  static final long RECORD_BYTES = 2 * 1024;
  /** Live heap at most this share of {@code -Xmx}: G1 needs the rest to collect without running back to back. */
  public static final double MAX_SHARE_OF_HEAP = 0.6;

  public static HeapBudget of(WorkerConfig config) {
    WorkerConfig.Job job = config.job();
    int processes = config.pool().maxProcesses();
    long ended = job.maxRecordsMb() * MB + job.maxRecords() * RECORD_BYTES;
    // a job holds its payload (at most one frame) from its admission to its end, waiting or running
    long payloads = (long) (processes + config.pool().maxWaitingJobs()) * ProtocolCodec.MAX_FRAME_BYTES;
    long active = payloads + processes * job.maxEventsKeptKb() * 1024L;
    return new HeapBudget(config.web().sendQueueTotalBytes(), ended, active);
  }

  /** Everything, with the worker's own base. */
  public long totalBytes() {
    return BASE_BYTES + sendQueuesBytes + endedJobsBytes + activeJobsBytes;
  }

  /** The smallest {@code -Xmx} that keeps the budget within {@link #MAX_SHARE_OF_HEAP} of the heap. */
  public long smallestHeapBytes() {
    return (long) Math.ceil(totalBytes() / MAX_SHARE_OF_HEAP);
  }

  /** Null when {@code maxHeapBytes} is enough; otherwise what to tell the operator. */
  public String shortfall(long maxHeapBytes) {
    if (maxHeapBytes >= smallestHeapBytes()) {
      return null;
    }
    return String.format("the heap (%d MB) is small for what this configuration lets the worker keep: up to %d MB "
        + "(send queues %d, finished jobs %d, waiting and running jobs %d, base %d); give it -Xmx%dm or more, or lower "
        + "web.sendQueueTotalBytes, job.maxRecordsMb, job.maxRecords, pool.maxProcesses or pool.maxWaitingJobs (docs/operations.md)",
      maxHeapBytes / MB, totalBytes() / MB, sendQueuesBytes / MB, endedJobsBytes / MB, activeJobsBytes / MB, BASE_BYTES / MB,
      (smallestHeapBytes() + MB - 1) / MB);
  }
}
