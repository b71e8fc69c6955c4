package io.warmpool.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeListener;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.BusFailure;
import io.warmpool.bus.FailureReason;
import io.warmpool.bus.JobEvents;
import io.warmpool.bus.JobIdRequest;
import io.warmpool.bus.RejectReason;
import io.warmpool.bus.SubmitReplies;
import io.warmpool.bus.SubmitRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The dispatcher of a clustered node (deployed when {@code cluster.enabled}). It
 * <ul>
 *   <li>publishes this node's state on {@link Addresses#CLUSTER_NODES} every
 *       {@value #PUBLISH_INTERVAL_MS} ms and whenever the pool's state changes, and keeps the
 *       {@link NodeView} of all nodes from what they publish and what the cluster manager says;</li>
 *   <li>answers {@code warmpool.jobs.submit} for this node: the job runs here or is forwarded to
 *       another node's pool ({@link DispatchPolicy}); its events, published by the pool that runs
 *       it on the clustered bus, reach this node's clients as a local job's do;</li>
 *   <li>answers {@code warmpool.jobs.cancel} and {@code warmpool.jobs.get} at the node that runs
 *       the job;</li>
 *   <li>ends the forwarded jobs of a node that left the cluster with {@code failed}
 *       {@code node-lost}, once each.</li>
 * </ul>
 * The pool of each node answers at {@code warmpool.node.<nodeId>.jobs.*}; the node id is the
 * cluster manager's. See {@code docs/cluster.md}.
 *
 * <p>It takes the cluster manager's node listener, which Vert.x itself uses only for HA (off
 * in warmpool): one ClusterVerticle per Vert.x instance.
 */
public final class ClusterVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterVerticle.class);

  static final long PUBLISH_INTERVAL_MS = 500;
  /** A node whose latest state is older than this is not dispatched to (it should publish every 500 ms). */
  static final long STALE_AFTER_MS = 3_000;
  /** How long a forwarded submit, cancel or get may take before the node counts as not answering. */
  static final long FORWARD_TIMEOUT_MS = 5_000;
  /**
   * After the cluster manager reports a node gone, events it sent just before may still be on
   * their way (a graceful leave after a drain): they are waited for this long before the node's
   * remaining jobs are declared lost.
   */
  static final long NODE_LOST_GRACE_MS = 200;

  private final String url;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final ForwardedJobs forwarded = new ForwardedJobs();
  private String selfId;
  private NodeView view;
  private ClusterManager clusterManager;
  private JsonObject poolState;
  private NodeState lastPublished;
  private long timer = -1;

  /** @param url this node's HTTP base URL for the others to show, or {@code null} */
  public ClusterVerticle(String url) {
    this.url = url;
  }

  @Override
  public Future<?> start() {
    selfId = Addresses.localNodeId(vertx);
    if (selfId == null) {
      return Future.failedFuture("cluster.enabled needs a clustered Vert.x (Vertx.builder()...buildClustered())");
    }
    view = new NodeView(selfId, STALE_AFTER_MS);
    clusterManager = ((VertxInternal) vertx).clusterManager();
    Context context = vertx.getOrCreateContext();
    clusterManager.nodeListener(new NodeListener() {
      // called on the cluster manager's threads
      @Override
      public void nodeAdded(String nodeId) {
        context.runOnContext(v -> onNodeAdded(nodeId));
      }

      @Override
      public void nodeLeft(String nodeId) {
        context.runOnContext(v -> onNodeLeft(nodeId));
      }
    });
    EventBus bus = vertx.eventBus();
    consumers.add(bus.<JsonObject>consumer(Addresses.CLUSTER_NODES, this::onNodeState));
    consumers.add(bus.<JsonObject>consumer(Addresses.JOBS_EVENTS, this::onJobEvent));
    consumers.add(bus.<JsonObject>localConsumer(Addresses.POOL_STATE, msg -> onPoolState(msg.body())));
    consumers.add(bus.<JsonObject>localConsumer(Addresses.JOBS_SUBMIT, this::onSubmit));
    consumers.add(bus.<JsonObject>localConsumer(Addresses.JOBS_CANCEL, msg -> onJobRequest(msg, Addresses.JOBS_CANCEL)));
    consumers.add(bus.<JsonObject>localConsumer(Addresses.JOBS_GET, msg -> onJobRequest(msg, Addresses.JOBS_GET)));
    consumers.add(bus.localConsumer(Addresses.CLUSTER_VIEW, msg -> msg.reply(viewJson())));
    return bus.<JsonObject>request(Addresses.WORKER_INFO, null, local())
      .compose(info -> {
        poolState = info.body();
        return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
      })
      .onSuccess(v -> {
        publishState(true);
        timer = vertx.setPeriodic(PUBLISH_INTERVAL_MS, id -> tick());
        LOG.info("cluster node {} ({} node(s) in the cluster)", selfId, clusterManager.getNodes().size());
      });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    clusterManager.nodeListener(new NodeListener() {
      @Override
      public void nodeAdded(String nodeId) {
      }

      @Override
      public void nodeLeft(String nodeId) {
      }
    });
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  // ---- node states ---------------------------------------------------------------------

  private void tick() {
    long now = System.nanoTime();
    for (String nodeId : view.expire(now)) {
      LOG.warn("node {} published no state for {} ms: not dispatching to it until it does", nodeId, STALE_AFTER_MS);
    }
    publishState(true);
  }

  private void onPoolState(JsonObject state) {
    poolState = state;
    publishState(false);
  }

  /** Publishes this node's state: always when {@code periodic}, else only when it changed. */
  private void publishState(boolean periodic) {
    NodeState state = NodeState.fromPoolState(selfId, url, poolState);
    long now = System.nanoTime();
    boolean changed = !state.equals(lastPublished);
    if (changed) {
      view.update(state, now);
    } else {
      view.touch(selfId, now);
    }
    if (changed || periodic) {
      lastPublished = state;
      vertx.eventBus().publish(Addresses.CLUSTER_NODES, state.toJson());
    }
  }

  private void onNodeState(Message<JsonObject> message) {
    NodeState state;
    try {
      state = NodeState.fromJson(message.body());
    } catch (IllegalArgumentException e) {
      LOG.debug("ignored a message on {}: {}", Addresses.CLUSTER_NODES, e.getMessage());
      return;
    }
    if (state.nodeId().equals(selfId)) {
      return;
    }
    if (view.update(state, System.nanoTime())) {
      LOG.info("node {} is in the view ({})", state.nodeId(), state.url() == null ? "no web" : state.url());
      // so that it knows this node now rather than at the next period
      vertx.eventBus().publish(Addresses.CLUSTER_NODES, lastPublished.toJson());
    }
  }

  private void onNodeAdded(String nodeId) {
    LOG.info("node {} joined the cluster", nodeId);
    publishState(true);
  }

  private void onNodeLeft(String nodeId) {
    boolean known = view.left(nodeId);
    LOG.info("node {} left the cluster{}", nodeId, known ? "" : " (it had published no state here)");
    vertx.setTimer(NODE_LOST_GRACE_MS, id -> {
      for (String jobId : forwarded.nodeLeft(nodeId)) {
        nodeLost(jobId, nodeId);
      }
    });
  }

  private void nodeLost(String jobId, String nodeId) {
    LOG.warn("job {} is lost: node {} running it left the cluster", jobId, nodeId);
    vertx.eventBus().publish(Addresses.JOBS_EVENTS,
      JobEvents.failed(jobId, FailureReason.NODE_LOST, "node " + nodeId + " running the job left the cluster"));
  }

  private void onJobEvent(Message<JsonObject> message) {
    if (JobEvents.isTerminal(message.body())) {
      String jobId = message.body().getString("jobId");
      forwarded.ended(jobId);
      view.done(jobId);
    }
  }

  private JsonObject viewJson() {
    long now = System.nanoTime();
    return new JsonObject()
      .put("nodeId", selfId)
      .put("forwardedJobs", forwarded.size())
      .put("nodes", view.toJson(now));
  }

  // ---- dispatch ------------------------------------------------------------------------

  private void onSubmit(Message<JsonObject> message) {
    SubmitRequest request = SubmitRequest.parseOrFail(message);
    if (request == null) {
      return;
    }
    // the id is fixed here, so that the job can be followed wherever it runs
    String jobId = request.jobId() != null ? request.jobId() : UUID.randomUUID().toString();
    JsonObject body = new SubmitRequest(jobId, request.payload(), request.timeoutMs()).toJson();
    if (forwarded.contains(jobId)) {
      message.reply(SubmitReplies.rejected(RejectReason.DUPLICATE, lastPublished.effectiveLoad(), lastPublished.threshold(),
        "a job with id '" + jobId + "' is known already"));
      return;
    }
    NodeView.Node self = view.self();
    List<String> candidates = self != null && self.state().draining()
      ? List.of(selfId) // the pool answers "draining": a node shutting down takes no jobs, not even for others
      : DispatchPolicy.candidates(selfId, view.nodes(System.nanoTime()));
    if (candidates.isEmpty()) {
      message.reply(allFull());
      return;
    }
    tryNode(message, jobId, body, candidates, 0, null);
  }

  /** Sends the job to {@code candidates[index]}; a node that turns it down for its load passes it on to the next. */
  private void tryNode(Message<JsonObject> message, String jobId, JsonObject body, List<String> candidates, int index,
                       JsonObject lastRejection) {
    if (index >= candidates.size()) {
      message.reply(lastRejection != null ? lastRejection : allFull());
      return;
    }
    String nodeId = candidates.get(index);
    boolean local = nodeId.equals(selfId);
    view.sent(nodeId, jobId);
    if (!local) {
      forwarded.forwarding(jobId, nodeId);
    }
    vertx.eventBus().<JsonObject>request(Addresses.onNode(nodeId, Addresses.JOBS_SUBMIT), body, toNode(nodeId))
      .onSuccess(reply -> {
        JsonObject answer = reply.body();
        if (SubmitReplies.isAccepted(answer)) {
          if (!local && forwarded.accepted(jobId)) {
            nodeLost(jobId, nodeId);
          }
          message.reply(answer.copy().put("nodeId", nodeId));
          return;
        }
        view.done(jobId);
        if (!local) {
          forwarded.notAccepted(jobId);
        }
        String reason = answer.getString("reason");
        boolean passOn = RejectReason.FULL.wireName().equals(reason) || RejectReason.CAPACITY.wireName().equals(reason)
          // a remote node that started draining after its last state; this node's own drain is final
          || (!local && RejectReason.DRAINING.wireName().equals(reason));
        if (passOn) {
          tryNode(message, jobId, body, candidates, index + 1, answer);
        } else {
          message.reply(answer);
        }
      })
      .onFailure(err -> {
        view.done(jobId);
        if (!local) {
          forwarded.notAccepted(jobId);
        }
        if (err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
          // the node went away (or its pool stopped): nothing runs there, try the next
          tryNode(message, jobId, body, candidates, index + 1, lastRejection);
        } else {
          fail(message, err, nodeId);
        }
      });
  }

  private JsonObject allFull() {
    double lowest = view.nodes(System.nanoTime()).stream().mapToDouble(node -> node.state().effectiveLoad()).min()
      .orElse(lastPublished.effectiveLoad());
    int count = view.nodes(System.nanoTime()).size();
    return SubmitReplies.rejected(RejectReason.FULL, lowest, lastPublished.threshold(),
      String.format("every node of the cluster is full or draining (%d node(s); the lowest load is %.2f)", count, lowest));
  }

  // ---- cancel and get ------------------------------------------------------------------

  /**
   * A cancel or get goes to the node running the job when it is a forwarded one; otherwise to
   * this node's pool, and when that does not know the job, to each other node in turn (a job
   * submitted elsewhere, or forwarded from here and since ended).
   */
  private void onJobRequest(Message<JsonObject> message, String address) {
    String id = JobIdRequest.jobIdOrFail(message);
    if (id == null) {
      return;
    }
    String owner = forwarded.nodeOf(id);
    List<String> nodes = new ArrayList<>();
    if (owner != null) {
      nodes.add(owner);
    } else {
      nodes.add(selfId);
      view.nodes(System.nanoTime()).stream().map(NodeView.Node::id).filter(n -> !n.equals(selfId)).forEach(nodes::add);
    }
    askInTurn(message, address, nodes, 0, null);
  }

  private void askInTurn(Message<JsonObject> message, String address, List<String> nodes, int index, Throwable notFound) {
    if (index >= nodes.size()) {
      fail(message, notFound, null);
      return;
    }
    String nodeId = nodes.get(index);
    vertx.eventBus().<JsonObject>request(Addresses.onNode(nodeId, address), message.body(), toNode(nodeId))
      .onSuccess(reply -> message.reply(reply.body()))
      .onFailure(err -> {
        boolean tryNext = err instanceof ReplyException re
          && (re.failureCode() == BusFailure.NOT_FOUND || re.failureType() == ReplyFailure.NO_HANDLERS);
        if (tryNext && index + 1 < nodes.size()) {
          askInTurn(message, address, nodes, index + 1, notFound != null ? notFound : err);
        } else {
          fail(message, notFound != null && tryNext ? notFound : err, nodeId);
        }
      });
  }

  // ---- helpers -------------------------------------------------------------------------

  private DeliveryOptions toNode(String nodeId) {
    // this node's own pool is reached without asking the cluster where the address lives
    return new DeliveryOptions().setSendTimeout(FORWARD_TIMEOUT_MS).setLocalOnly(nodeId.equals(selfId));
  }

  private static DeliveryOptions local() {
    return new DeliveryOptions().setLocalOnly(true).setSendTimeout(FORWARD_TIMEOUT_MS);
  }

  /** Passes a failure on with its code; a node that did not answer is {@link BusFailure#UNAVAILABLE}. */
  private static void fail(Message<JsonObject> message, Throwable err, String nodeId) {
    if (err instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      message.fail(re.failureCode(), re.getMessage());
    } else if (err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      message.fail(BusFailure.UNAVAILABLE, "no node could take the request (the pool is not running)");
    } else {
      message.fail(BusFailure.UNAVAILABLE, "node " + nodeId + " did not answer: " + (err == null ? "?" : err.getMessage()));
    }
  }
}
