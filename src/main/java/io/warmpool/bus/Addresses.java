package io.warmpool.bus;

/**
 * Event-bus addresses of a worker: the one place that names them. Documented in
 * {@code docs/event-bus.md}; every verticle, and any outside verticle, uses these.
 */
public final class Addresses {

  /** Request: a submit body ({@link SubmitRequest}). Reply: an {@code accepted} or {@code rejected} body. */
  public static final String JOBS_SUBMIT = "warmpool.jobs.submit";

  /** Request: {@code {"jobId":ID}}. Reply: the job's record; fails {@link BusFailure#NOT_FOUND}. */
  public static final String JOBS_CANCEL = "warmpool.jobs.cancel";

  /** Request: {@code {"jobId":ID}}. Reply: the job's record ({@link JobRecords}); fails {@link BusFailure#NOT_FOUND}. */
  public static final String JOBS_GET = "warmpool.jobs.get";

  /** Published: every job event ({@link JobEvents}), exactly the WebSocket {@code job} frame. */
  public static final String JOBS_EVENTS = "warmpool.jobs.events";

  /** Published: the pool state on every change, exactly the WebSocket {@code state} frame. */
  public static final String POOL_STATE = "warmpool.pool.state";

  /** Request: anything. Reply: the {@code GET /worker} body. */
  public static final String WORKER_INFO = "warmpool.worker.info";

  /** Request: anything. Starts draining; replies once every job has ended or the drain timed out. */
  public static final String WORKER_DRAIN = "warmpool.worker.drain";

  /** Published: each averaged load sample, {@code {"load":0.42,"raw":0.40,"source":"cpu","loadPerJob":0.5,"at":millis}}. */
  public static final String LOAD = "warmpool.load";

  /** Send or publish a number 0..1 (or {@code {"load":0.5}}) here when {@code load.source} is {@code external}. */
  public static final String LOAD_EXTERNAL = "warmpool.load.external";

  private Addresses() {
  }
}
