package io.warmpool.bus;

import java.util.regex.Pattern;

/**
 * The event-bus addresses of one pool: the one place that names them, each its
 * {@link #prefix()} and a fixed suffix ({@code <prefix>.jobs.submit}). Documented in
 * {@code docs/event-bus.md}; every verticle of the pool, and any outside verticle, uses these.
 *
 * <p>The prefix is {@code bus.prefix}, {@value #DEFAULT_PREFIX} by default (the standalone
 * worker's, {@link #DEFAULT}); pools with different prefixes live side by side in one Vert.x
 * without hearing each other.
 */
public final class Addresses {

  public static final String DEFAULT_PREFIX = "warmpool";

  /** What a prefix may be, completing "must be …". */
  public static final String PREFIX_RULE =
    "one or more parts of letters, digits, '-' and '_', separated by single dots (\"warmpool\", \"app.batch-jobs\")";

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

  /** The addresses of a pool with the default prefix: those of a standalone worker. */
  public static final Addresses DEFAULT = new Addresses(DEFAULT_PREFIX);

  private final String prefix;
  private final String jobsSubmit;
  private final String jobsCancel;
  private final String jobsGet;
  private final String jobsEvents;
  private final String poolState;
  private final String workerInfo;
  private final String workerDrain;
  private final String load;
  private final String loadExternal;
  private final String clusterNodes;
  private final String clusterView;

  private Addresses(String prefix) {
    this.prefix = prefix;
    this.jobsSubmit = prefix + ".jobs.submit";
    this.jobsCancel = prefix + ".jobs.cancel";
    this.jobsGet = prefix + ".jobs.get";
    this.jobsEvents = prefix + ".jobs.events";
    this.poolState = prefix + ".pool.state";
    this.workerInfo = prefix + ".worker.info";
    this.workerDrain = prefix + ".worker.drain";
    this.load = prefix + ".load";
    this.loadExternal = prefix + ".load.external";
    this.clusterNodes = prefix + ".cluster.nodes";
    this.clusterView = prefix + ".cluster.view";
  }

  /**
   * The addresses of the pool whose {@code bus.prefix} is {@code prefix}.
   *
   * @throws IllegalArgumentException when the prefix is not one ({@link #PREFIX_RULE})
   */
  public static Addresses of(String prefix) {
    if (!isValidPrefix(prefix)) {
      throw new IllegalArgumentException("bus prefix \"" + prefix + "\": must be " + PREFIX_RULE);
    }
    return DEFAULT_PREFIX.equals(prefix) ? DEFAULT : new Addresses(prefix);
  }

  public static boolean isValidPrefix(String prefix) {
    return prefix != null && PREFIX.matcher(prefix).matches();
  }

  public String prefix() {
    return prefix;
  }

  /**
   * Request: a submit body ({@link SubmitRequest}) from a bus client, or a {@link Submission} from
   * a verticle of this node (read and given its id where it entered). Reply: an {@code accepted}
   * or {@code rejected} body.
   */
  public String jobsSubmit() {
    return jobsSubmit;
  }

  /** Request: {@code {"jobId":ID}}. Reply: the job's record; fails {@link BusFailure#NOT_FOUND}. */
  public String jobsCancel() {
    return jobsCancel;
  }

  /**
   * Request: {@code {"jobId":ID,"fromSeq":N?}}. Reply: the job's record ("Job record" in
   * {@code docs/event-bus.md}), with {@code fromSeq} also its kept events above it; fails
   * {@link BusFailure#NOT_FOUND} or {@link BusFailure#GONE}.
   */
  public String jobsGet() {
    return jobsGet;
  }

  /** Published: every job event ({@link JobEvents}), exactly the WebSocket {@code job} frame. */
  public String jobsEvents() {
    return jobsEvents;
  }

  /** Published: the pool state on every change, exactly the WebSocket {@code state} frame. */
  public String poolState() {
    return poolState;
  }

  /** Request: anything. Reply: the {@code GET /worker} body. */
  public String workerInfo() {
    return workerInfo;
  }

  /** Request: anything. Starts draining; replies once every job has ended or the drain timed out. */
  public String workerDrain() {
    return workerDrain;
  }

  /** Published: each averaged load sample, {@code {"load":0.42,"raw":0.40,"source":"cpu","loadPerJob":0.5,"at":millis}}. */
  public String load() {
    return load;
  }

  /** Send or publish a number 0..1 (or {@code {"load":0.5}}) here when {@code load.source} is {@code external}. */
  public String loadExternal() {
    return loadExternal;
  }

  /**
   * Published on the clustered bus by every node, every 500 ms and on change: the node's
   * state ({@code nodeId}, {@code url}, {@code status}, {@code load}, {@code effectiveLoad},
   * {@code threshold}, {@code idle}, {@code capacity}, {@code activeJobs}).
   */
  public String clusterNodes() {
    return clusterNodes;
  }

  /** Request (local, cluster mode only): the node's view of the cluster, the {@code cluster} part of {@code GET /worker}. */
  public String clusterView() {
    return clusterView;
  }

  /**
   * The address of one node's pool in a cluster: {@code onNode("n1", jobsSubmit())} is
   * {@code <prefix>.node.n1.jobs.submit}. There the pool of that node answers, whatever its load,
   * without going through dispatch; the dispatchers of all nodes use it. {@code nodeId} is the
   * cluster manager's id of the node, which whoever builds the clustered Vert.x hands to the
   * verticles.
   */
  public String onNode(String nodeId, String address) {
    if (!address.startsWith(prefix + ".")) {
      throw new IllegalArgumentException("not an address of the pool " + prefix + ": " + address);
    }
    return prefix + ".node." + nodeId + address.substring(prefix.length());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Addresses addresses && addresses.prefix.equals(prefix);
  }

  @Override
  public int hashCode() {
    return prefix.hashCode();
  }

  @Override
  public String toString() {
    return "Addresses[" + prefix + ".*]";
  }
}
