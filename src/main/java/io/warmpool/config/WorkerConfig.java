package io.warmpool.config;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * A worker's validated configuration, one record per section of the config file. Built only by
 * {@link ConfigLoader}, so every value here has passed validation: from a file and the
 * environment ({@link ConfigLoader#load}), or in code ({@link #builder()}).
 */
public record WorkerConfig(Web web, Pool pool, Load load, Job job, Drain drain, Child child, Cluster cluster, Bus bus) {

  /** A configuration made in code: {@code WorkerConfig.builder().set("pool.maxIdle", 2).build()}. */
  public static ConfigBuilder builder() {
    return new ConfigBuilder();
  }

  /**
   * @param token                {@code null} when no auth is configured, else at least 16 characters
   * @param allowUnauthenticated the operator's explicit word that a non-loopback {@code host} may serve without a token
   * @param allowedHosts         {@code Host} names served besides {@code host} and the loopback names; {@code "*"} for any
   * @param allowedOrigins       browser origins served besides the request's own
   * @param sendQueuePauseBytes  bytes queued for a WebSocket client above which its frames are no longer read
   * @param sendQueueMaxBytes    bytes queued for a WebSocket client above which it is closed
   * @param sendQueueTotalBytes  bytes queued for all WebSocket clients together above which one more frame closes its client
   * @param stallCloseMs         how long a client may stay above {@code sendQueuePauseBytes} before it is closed
   * @param pingIntervalMs       how often each WebSocket client is pinged
   * @param pingTimeoutMs        a WebSocket client whose pong does not come within this is closed
   * @param idleTimeoutMs        a connection on which nothing is read or written for this long is closed
   * @param requestTimeoutMs     an HTTP connection must send a whole request, and have it answered, within this
   */
  public record Web(String host, int port, String token, boolean allowUnauthenticated, List<String> allowedHosts,
                    List<String> allowedOrigins, int maxFrameBytes, int maxConnections, int maxJobsPerConnection,
                    int sendQueuePauseBytes, int sendQueueMaxBytes, long sendQueueTotalBytes, long stallCloseMs,
                    long pingIntervalMs, long pingTimeoutMs, long idleTimeoutMs, long requestTimeoutMs) {

    /** Whether {@code host} is this machine only: {@code localhost} or a loopback address (names are not resolved). */
    public boolean loopbackOnly() {
      return ConfigRules.isLoopback(host);
    }
  }

  public record Pool(
    int maxIdle,
    int maxProcesses,
    int maxWaitingJobs,
    int maxConcurrentInits,
    long initTimeoutMs,
    long closeTimeoutMs,
    int maxJobsPerProcess,
    int maxJobsPerProcessJitter,
    long scaleDownDelayMs,
    long scaleDownWindowMs,
    String idlePolicy,
    int maxSpawnRate,
    long pingIntervalMs,
    long pingTimeoutMs,
    long memoryWarnMb,
    long memoryLimitMb,
    long memorySoftMb,
    long totalMemorySoftMb,
    long totalMemoryHardMb) {
  }

  /** @param source {@code cpu}, {@code jobs} or {@code external} */
  public record Load(String source, long intervalMs, int window, double threshold, double hysteresis, int maxJobs) {
  }

  /**
   * @param timeoutMs     0 = no timeout
   * @param cancelGraceMs how long a cancelled job's process has to clean up before it is told to shut down
   * @param maxRecords      ended jobs' records kept at most (the oldest dropped first)
   * @param maxRecordsMb    what the kept events of ended jobs may weigh together, about
   * @param maxEventsKept   events of one job kept for a client that comes back ({@code watch} with {@code fromSeq})
   * @param maxEventsKeptKb what those events of one job may weigh, about
   * @param traceHops       a {@code started} event carries the moment each hop of the job's way there was passed
   */
  public record Job(long timeoutMs, long retainMs, long cancelGraceMs, int maxRecords, int maxRecordsMb,
                    int maxEventsKept, int maxEventsKeptKb, boolean traceHops) {
  }

  public record Drain(long timeoutMs) {
  }

  /**
   * @param command    {@code null} for the Java child runtime, else program and arguments of a child in any language
   * @param entrypoint the Java child runtime's {@code io.warmpool.child.Entrypoint} class (in the warmpool-child artifact)
   * @param jvmOptions options for the Java child's JVM
   * @param options    what every child's prewarm hook gets ({@code initialize.options}); a copy per reader
   * @param env        variables added to every child's environment, after the inherited ones
   * @param classpath  jars and class directories of the user's own code, after the child runtime's
   * @param cacheDir   where the Java children's runtime jars and class-data archives are kept; empty for the user's cache directory
   * @param classArchive whether the worker makes and uses a class-data archive of the Java children's classes
   */
  public record Child(List<String> command, String entrypoint, List<String> jvmOptions, JsonObject options,
                      Map<String, String> env, List<String> classpath, String cacheDir, boolean classArchive) {

    /** The options as a copy: the record is shared, and a JSON object is not immutable. */
    @Override
    public JsonObject options() {
      return options.copy();
    }
  }

  /**
   * @param enabled join a Vert.x cluster (Hazelcast); off, the worker is exactly a standalone one
   * @param host    the interface the cluster manager and the clustered event bus bind to
   * @param port    the cluster manager's port (0 = any free one)
   * @param members where to look for other nodes: {@code host} or {@code host:port} (TCP-IP join)
   * @param name    the cluster's name: only nodes with the same name join each other
   * @param tlsKeyStore           {@code null}: the event bus without TLS; else a PKCS#12 file with
   *                              this node's key and certificate
   * @param tlsKeyStorePassword   its password (and its key's)
   * @param tlsTrustStore         the certificates a node must show to connect; {@code null}: the
   *                              key store's own (every node shares the cluster's certificate)
   * @param tlsTrustStorePassword {@code null}: the key store's password
   */
  public record Cluster(boolean enabled, String host, int port, List<String> members, String name,
                        String tlsKeyStore, String tlsKeyStorePassword, String tlsTrustStore,
                        String tlsTrustStorePassword) {

    /** The clustered event bus runs over TLS, with client certificates required. */
    public boolean tls() {
      return tlsKeyStore != null;
    }

    /** Without the passwords, which must not reach a log line. */
    @Override
    public String toString() {
      return "Cluster[enabled=" + enabled + ", host=" + host + ", port=" + port + ", members=" + members
        + ", name=" + name + ", tlsKeyStore=" + tlsKeyStore + ", tlsTrustStore=" + tlsTrustStore + "]";
    }
  }

  /**
   * @param prefix what every event-bus address of the pool starts with ({@code <prefix>.jobs.submit}),
   *               and the value of its metrics' {@code pool} tag: pools in one Vert.x each need their own
   */
  public record Bus(String prefix) {
  }
}
