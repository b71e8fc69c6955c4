package io.warmpool.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.Objects;
import java.util.UUID;

/**
 * This node in the cluster: its id (the cluster manager's, which names its addresses
 * {@code <prefix>.node.<nodeId>.*}) and news of other nodes joining and leaving.
 *
 * <p>Whoever builds the clustered Vert.x makes it from the {@link HazelcastClusterManager} it
 * created, once Vert.x has joined, and hands it to the verticles: nothing asks Vert.x for its
 * cluster manager. Departures come from Hazelcast's own membership listener, registered beside
 * the one Vert.x keeps for itself, never in its place. A Hazelcast member carries its Vert.x node
 * id as the member attribute {@value #NODE_ID_ATTRIBUTE}: the cluster manager writes it when it
 * joins and requires it of any Hazelcast instance it is given, so it names the node of a member
 * that left; {@link #of} checks on this node that it does.
 */
public final class ClusterMembership {

  static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  /** What the dispatcher hears; called on Hazelcast's event threads. */
  interface Listener {
    void joined(String nodeId);

    void left(String nodeId);
  }

  private final String nodeId;
  private final Cluster cluster;

  private ClusterMembership(String nodeId, Cluster cluster) {
    this.nodeId = nodeId;
    this.cluster = cluster;
  }

  /**
   * The membership of the node whose Vert.x was built with {@code clusterManager} (and has joined).
   *
   * @throws IllegalStateException when the cluster manager has not joined, or its members do not
   *                               carry their node ids (then departures could not be named)
   */
  public static ClusterMembership of(HazelcastClusterManager clusterManager) {
    String nodeId = clusterManager.getNodeId();
    if (nodeId == null || clusterManager.getHazelcastInstance() == null) {
      throw new IllegalStateException("the cluster manager has not joined: build the clustered Vert.x first");
    }
    Cluster cluster = clusterManager.getHazelcastInstance().getCluster();
    String advertised = cluster.getLocalMember().getAttribute(NODE_ID_ATTRIBUTE);
    if (!nodeId.equals(advertised)) {
      throw new IllegalStateException("the Hazelcast member of node " + nodeId + " carries node id " + advertised
        + " in its attribute " + NODE_ID_ATTRIBUTE + ": departed nodes could not be told apart");
    }
    return new ClusterMembership(nodeId, cluster);
  }

  /** This node's id in the cluster. */
  public String nodeId() {
    return nodeId;
  }

  int size() {
    return cluster.getMembers().size();
  }

  /** Starts telling {@code listener} of members joining and leaving; returns what {@link #stop} takes. */
  UUID listen(Listener listener) {
    Objects.requireNonNull(listener);
    return cluster.addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        String id = nodeIdOf(event.getMember());
        if (id != null) {
          listener.joined(id);
        }
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String id = nodeIdOf(event.getMember());
        if (id != null) {
          listener.left(id);
        }
      }
    });
  }

  void stop(UUID registration) {
    try {
      cluster.removeMembershipListener(registration);
    } catch (HazelcastInstanceNotActiveException e) {
      // the node has left the cluster already: no listener is called any more
    }
  }

  /** A member without the attribute holds data only and runs no node (Vert.x skips it too). */
  private static String nodeIdOf(Member member) {
    return member.getAttribute(NODE_ID_ATTRIBUTE);
  }
}
