package io.warmpool.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PfxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.warmpool.config.WorkerConfig;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The cluster manager and event-bus options of a clustered node, from the {@code cluster.*}
 * keys: Hazelcast with a TCP-IP join on {@code cluster.members}, multicast and auto-detection off,
 * bound to {@code cluster.host} only; the event bus over TLS with {@code cluster.tlsKeyStore}
 * (Hazelcast's own port has no TLS in its open-source edition: docs/security.md).
 * {@code Main} and the tests build their nodes with it.
 */
public final class ClusterSetup {

  private ClusterSetup() {
  }

  /** A Hazelcast cluster manager for the node (one per Vert.x instance). */
  public static HazelcastClusterManager clusterManager(WorkerConfig.Cluster cluster) {
    return new HazelcastClusterManager(hazelcastConfig(cluster));
  }

  /**
   * Binds the clustered event bus to {@code cluster.host}, on any free port. With
   * {@code cluster.tlsKeyStore}, over TLS both ways: every connection shows this node's
   * certificate and must show one the trust store trusts (client auth required), so only nodes
   * holding the cluster's key can send to a node or receive from it. Vert.x's bus client does not
   * check host names: a node is known by its certificate, not by its address.
   */
  public static VertxOptions eventBus(VertxOptions options, WorkerConfig.Cluster cluster) {
    EventBusOptions bus = options.getEventBusOptions().setHost(cluster.host()).setPort(0);
    if (cluster.tls()) {
      String trustStore = cluster.tlsTrustStore() != null ? cluster.tlsTrustStore() : cluster.tlsKeyStore();
      String trustPassword = cluster.tlsTrustStorePassword() != null ? cluster.tlsTrustStorePassword() : cluster.tlsKeyStorePassword();
      // PfxOptions rather than KeyStoreOptions: the bus hands these options to its client and
      // server through their JSON form, which keeps the JKS, PKCS#12 and PEM kinds only
      bus.setSsl(true)
        .setKeyCertOptions(new PfxOptions().setPath(cluster.tlsKeyStore()).setPassword(cluster.tlsKeyStorePassword()))
        .setTrustOptions(new PfxOptions().setPath(trustStore).setPassword(trustPassword))
        // the bus's default is to trust any server: a node would then send job events to any
        // TLS listener registered in Hazelcast's map of subscriptions
        .setTrustAll(false)
        .setClientAuth(ClientAuth.REQUIRED);
    }
    return options;
  }

  /** {@code cluster.host} is a loopback address: nothing off this machine reaches the cluster's ports. */
  public static boolean loopback(WorkerConfig.Cluster cluster) {
    try {
      return InetAddress.getByName(cluster.host()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  static Config hazelcastConfig(WorkerConfig.Cluster cluster) {
    // the Vert.x defaults (the maps and multimap the cluster manager needs), then ours
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    // the worker drains its jobs on SIGTERM before it leaves the cluster, not in parallel
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // a node that stops answering without closing its connections is removed after 10 s
    // (one killed on a reachable host is seen at once: its connections close)
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    config.setProperty("hazelcast.socket.bind.any", "false");
    // nothing reads Hazelcast's own metrics: they would only cost CPU
    config.getMetricsConfig().setEnabled(false);

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port());
    // a fixed port that is taken moves up (Hazelcast's way, so that nodes on one host find each
    // other on 5701, 5702, …); port 0 lets the system pick one
    network.setPortAutoIncrement(cluster.port() != 0);
    network.getInterfaces().setEnabled(true).addInterface(address(cluster.host()));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    return config;
  }

  /** Hazelcast takes interfaces as IP addresses only. */
  private static String address(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cluster.host = \"" + host + "\": unknown host", e);
    }
  }
}
