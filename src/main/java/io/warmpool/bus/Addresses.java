package io.warmpool.bus;

/**
 * Event-bus addresses of a worker: the one place that names them. Documented in
 * {@code docs/event-bus.md}; every verticle, and any outside verticle, uses these.
 */
public final class Addresses {

  /**
   * Request: a submit body ({@link SubmitRequest}) from a bus client, or a {@link Submission} from
   * a verticle of this node (read and given its id where it entered). Reply: an {@code accepted}
   * or {@code rejected} body.
   */
  public static final String JOBS_SUBMIT = "warmpool.jobs.submit";

  /** Request: {@code {"jobId":ID}}. Reply: the job's record; fails {@link BusFailure#NOT_FOUND}. */
  public static final String JOBS_CANCEL = "warmpool.jobs.cancel";

  /** Request: {@code {"jobId":ID}}. Reply: the job's record ({@code jobId}, {@code state}, times; "Job record" in {@code docs/event-bus.md}); fails {@link BusFailure#NOT_FOUND}. */
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

  /**
   * Published on the clustered bus by every node, every 500 ms and on change: the node's
   * state ({@code nodeId}, {@code url}, {@code status}, {@code load}, {@code effectiveLoad},
   * {@code threshold}, {@code idle}, {@code capacity}, {@code activeJobs}).
   */
  public static final String CLUSTER_NODES = "warmpool.cluster.nodes";

  /** Request (local, cluster mode only): the node's view of the cluster, the {@code cluster} part of {@code GET /worker}. */
  public static final String CLUSTER_VIEW = "warmpool.cluster.view";

  private static final String PREFIX = "warmpool.";

  /**
   * The address of one node's pool in a cluster: {@code onNode("n1", JOBS_SUBMIT)} is
   * {@code warmpool.node.n1.jobs.submit}. There the pool of that node answers, whatever its load,
   * without going through dispatch; the dispatchers of all nodes use it. {@code nodeId} is the
   * cluster manager's id of the node, which whoever builds the clustered Vert.x hands to the
   * verticles.
   */
  public static String onNode(String nodeId, String address) {
    if (!address.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a warmpool address: " + address);
    }
    return PREFIX + "node." + nodeId + "." + address.substring(PREFIX.length());
  }

  private Addresses() {
  }
}
