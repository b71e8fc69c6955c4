package io.warmpool.cluster;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.BusFailure;
import io.warmpool.bus.JobEvents;
import io.warmpool.bus.JobIdRequest;
import io.warmpool.bus.Submission;
import io.warmpool.bus.SubmissionCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The cluster part of a node (deployed when {@code cluster.enabled}): it wires the bus and the
 * cluster's membership to its two parts,
 * <ul>
 *   <li>{@link NodeStatePublisher}: this node's state out to the cluster, and the
 *       {@link NodeView} of every node;</li>
 *   <li>{@link JobDispatcher}: {@code <prefix>.jobs.submit}, {@code .cancel} and {@code .get} for
 *       this node, answered by the pool of the node chosen ({@link DispatchPolicy}) or running
 *       the job, and {@code node-lost} for the forwarded jobs of a node that left.</li>
 * </ul>
 * Each request is answered once, here, from the one future its part returns. The pool of each
 * node answers at {@code <prefix>.node.<nodeId>.jobs.*}; see {@code docs/cluster.md}.
 */
public final class ClusterVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterVerticle.class);

  static final long PUBLISH_INTERVAL_MS = 500;
  /** A node whose latest state is older than this is not dispatched to (it should publish every 500 ms). */
  static final long STALE_AFTER_MS = 3_000;
  /** How long a forwarded submit, cancel or get may take before the node counts as not answering. */
  static final long FORWARD_TIMEOUT_MS = 5_000;
  /**
   * After a node is reported gone, events it sent just before may still be on their way (a
   * graceful leave after a drain): they are waited for this long before the node's remaining
   * jobs are declared lost.
   */
  static final long NODE_LOST_GRACE_MS = 200;

  private final ClusterMembership membership;
  private final Addresses addresses;
  private final String url;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private NodeView view;
  private NodeStatePublisher states;
  private JobDispatcher dispatcher;
  private UUID membershipListener;
  private long timer = -1;

  /**
   * @param membership this node in the cluster, from the cluster manager its Vert.x was built with;
   *                   {@code null} when Vert.x is not clustered (the verticle then fails to start)
   * @param addresses  the pool's: the dispatcher answers its {@code jobs.*} and reaches each node's pool at
   *                   {@link Addresses#onNode}
   * @param url        this node's HTTP base URL for the others to show, or {@code null}
   */
  public ClusterVerticle(ClusterMembership membership, Addresses addresses, String url) {
    this.membership = membership;
    this.addresses = addresses;
    this.url = url;
  }

  @Override
  public Future<?> start() {
    if (membership == null || !vertx.isClustered()) {
      return Future.failedFuture("cluster.enabled needs a clustered Vert.x (Vertx.builder()...buildClustered()) and its"
        + " ClusterMembership");
    }
    String selfId = membership.nodeId();
    view = new NodeView(selfId, STALE_AFTER_MS);
    SubmissionCodec.registerOn(vertx.eventBus());
    return vertx.eventBus().<JsonObject>request(addresses.workerInfo(), null, local())
      .compose(info -> {
        states = new NodeStatePublisher(vertx, addresses, view, url, info.body());
        dispatcher = new JobDispatcher(vertx, addresses, view, states::self);
        listenToMembership(vertx.getOrCreateContext());
        return Future.all(registerConsumers().stream().map(MessageConsumer::completion).toList());
      })
      .onSuccess(v -> {
        states.publish(true);
        timer = vertx.setPeriodic(PUBLISH_INTERVAL_MS, id -> states.tick());
        LOG.info("cluster node {} ({} node(s) in the cluster)", selfId, membership.size());
      });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    if (membershipListener != null) {
      membership.stop(membershipListener);
    }
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  private List<MessageConsumer<?>> registerConsumers() {
    EventBus bus = vertx.eventBus();
    consumers.add(bus.<JsonObject>consumer(addresses.clusterNodes(), msg -> states.stateReceived(msg.body())));
    consumers.add(bus.<JsonObject>consumer(addresses.jobsEvents(), this::onJobEvent));
    consumers.add(bus.<JsonObject>localConsumer(addresses.poolState(), msg -> states.poolStateChanged(msg.body())));
    consumers.add(bus.localConsumer(addresses.jobsSubmit(), this::onSubmit));
    consumers.add(bus.<JsonObject>localConsumer(addresses.jobsCancel(), msg -> onJobRequest(msg, addresses.jobsCancel())));
    consumers.add(bus.<JsonObject>localConsumer(addresses.jobsGet(), msg -> onJobRequest(msg, addresses.jobsGet())));
    consumers.add(bus.localConsumer(addresses.clusterView(), msg -> msg.reply(viewJson())));
    return consumers;
  }

  private void listenToMembership(Context context) {
    membershipListener = membership.listen(new ClusterMembership.Listener() {
      // called on Hazelcast's threads: the parts live on this verticle's event loop
      @Override
      public void joined(String nodeId) {
        context.runOnContext(v -> states.nodeJoined(nodeId));
      }

      @Override
      public void left(String nodeId) {
        context.runOnContext(v -> {
          states.nodeLeft(nodeId);
          dispatcher.nodeLeft(nodeId);
        });
      }
    });
  }

  // ---- requests ------------------------------------------------------------------------

  private void onSubmit(Message<Object> message) {
    Submission submission = Submission.readOrFail(message);
    if (submission != null) {
      dispatcher.dispatch(submission).onComplete(result -> answer(message, result));
    }
  }

  private void onJobRequest(Message<JsonObject> message, String address) {
    String jobId = JobIdRequest.jobIdOrFail(message);
    if (jobId != null) {
      dispatcher.ask(address, jobId, message.body()).onComplete(result -> answer(message, result));
    }
  }

  /** The one reply to a request: its body, or the failure its part decided on (with its code). */
  private static void answer(Message<?> message, AsyncResult<JsonObject> result) {
    if (result.succeeded()) {
      message.reply(result.result());
    } else if (result.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      message.fail(re.failureCode(), re.getMessage());
    } else {
      message.fail(BusFailure.UNAVAILABLE, String.valueOf(result.cause().getMessage()));
    }
  }

  // ---- events --------------------------------------------------------------------------

  private void onJobEvent(Message<JsonObject> message) {
    if (JobEvents.isTerminal(message.body())) {
      dispatcher.jobEnded(message.body().getString("jobId"));
    }
  }

  private JsonObject viewJson() {
    return new JsonObject()
      .put("nodeId", view.selfId())
      .put("forwardedJobs", dispatcher.forwardedJobs())
      .put("nodes", view.toJson(System.nanoTime()));
  }

  private static DeliveryOptions local() {
    return new DeliveryOptions().setLocalOnly(true).setSendTimeout(FORWARD_TIMEOUT_MS);
  }
}
