package io.warmpool.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's side of the cluster's picture: it publishes this node's state on
 * {@code <prefix>.cluster.nodes} (every {@link ClusterVerticle#PUBLISH_INTERVAL_MS} ms and
 * whenever the pool's state changes) and keeps the {@link NodeView} of every node from what they
 * publish and from the cluster's membership. Used on the {@link ClusterVerticle}'s event loop.
 */
final class NodeStatePublisher {

  private static final Logger LOG = LoggerFactory.getLogger(NodeStatePublisher.class);

  private final Vertx vertx;
  private final Addresses addresses;
  private final NodeView view;
  private final String url;
  private JsonObject poolState;
  private NodeState lastPublished;

  /**
   * @param url       this node's HTTP base URL for the others to show, or {@code null}
   * @param poolState the pool's state now (the {@code GET /worker} body)
   */
  NodeStatePublisher(Vertx vertx, Addresses addresses, NodeView view, String url, JsonObject poolState) {
    this.vertx = vertx;
    this.addresses = addresses;
    this.view = view;
    this.url = url;
    this.poolState = poolState;
  }

  /** This node's latest state, as published. */
  NodeState self() {
    return lastPublished;
  }

  /** The period: drops the nodes gone silent and publishes this node's state. */
  void tick() {
    for (String nodeId : view.expire(System.nanoTime())) {
      LOG.warn("node {} published no state for {} ms: not dispatching to it until it does", nodeId,
        ClusterVerticle.STALE_AFTER_MS);
    }
    publish(true);
  }

  void poolStateChanged(JsonObject state) {
    poolState = state;
    publish(false);
  }

  /** Publishes this node's state: always when {@code periodic}, else only when it changed. */
  void publish(boolean periodic) {
    NodeState state = NodeState.fromPoolState(view.selfId(), url, poolState);
    long now = System.nanoTime();
    boolean changed = !state.equals(lastPublished);
    if (changed) {
      view.update(state, now);
    } else {
      view.touch(view.selfId(), now);
    }
    if (changed || periodic) {
      lastPublished = state;
      vertx.eventBus().publish(addresses.clusterNodes(), state.toJson());
    }
  }

  /** A message on {@code <prefix>.cluster.nodes}: another node's state (this node's own comes back too). */
  void stateReceived(JsonObject message) {
    NodeState state;
    try {
      state = NodeState.fromJson(message);
    } catch (IllegalArgumentException e) {
      LOG.debug("ignored a message on {}: {}", addresses.clusterNodes(), e.getMessage());
      return;
    }
    if (state.nodeId().equals(view.selfId())) {
      return;
    }
    if (view.update(state, System.nanoTime())) {
      LOG.info("node {} is in the view ({})", state.nodeId(), state.url() == null ? "no web" : state.url());
      // so that it knows this node now rather than at the next period
      vertx.eventBus().publish(addresses.clusterNodes(), lastPublished.toJson());
    }
  }

  void nodeJoined(String nodeId) {
    LOG.info("node {} joined the cluster", nodeId);
    publish(true);
  }

  /** The node left the cluster: out of the view at once, for good. */
  void nodeLeft(String nodeId) {
    boolean known = view.left(nodeId);
    LOG.info("node {} left the cluster{}", nodeId, known ? "" : " (it had published no state here)");
  }
}
