package io.warmpool.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.BusFailure;
import io.warmpool.bus.FailureReason;
import io.warmpool.bus.JobEvents;
import io.warmpool.bus.RejectReason;
import io.warmpool.bus.SubmitReplies;
import io.warmpool.bus.Submission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Sends the jobs submitted at this node to the pools of the cluster, and routes cancel and get
 * to the node running the job. Each request is one {@link Future}: the reply body, or a
 * {@link ReplyException} of type {@link ReplyFailure#RECIPIENT_FAILURE} whose code and message
 * are what the request fails with. The caller answers the request once, from that future.
 *
 * <p>It also keeps the jobs forwarded to other nodes until their end ({@link ForwardedJobs}), so
 * that those of a node that leaves the cluster end with {@code failed} {@code node-lost}, once
 * each. Used on the {@link ClusterVerticle}'s event loop.
 */
final class JobDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(JobDispatcher.class);

  private final Vertx vertx;
  private final Addresses addresses;
  private final NodeView view;
  private final Supplier<NodeState> self;
  private final ForwardedJobs forwarded = new ForwardedJobs();

  /** @param self this node's latest published state */
  JobDispatcher(Vertx vertx, Addresses addresses, NodeView view, Supplier<NodeState> self) {
    this.vertx = vertx;
    this.addresses = addresses;
    this.view = view;
    this.self = self;
  }

  int forwardedJobs() {
    return forwarded.size();
  }

  // ---- submit --------------------------------------------------------------------------

  /** Where the job runs: the {@code accepted} (with {@code nodeId}) or {@code rejected} body. */
  Future<JsonObject> dispatch(Submission submission) {
    String jobId = submission.jobId();
    if (forwarded.contains(jobId)) {
      return Future.succeededFuture(SubmitReplies.rejected(RejectReason.DUPLICATE, self.get().effectiveLoad(),
        self.get().threshold(), "a job with id '" + jobId + "' is known already"));
    }
    String selfId = view.selfId();
    NodeView.Node here = view.self();
    List<String> candidates = here != null && here.state().draining()
      ? List.of(selfId) // the pool answers "draining": a node shutting down takes no jobs, not even for others
      : DispatchPolicy.candidates(selfId, view.nodes(System.nanoTime()));
    if (candidates.isEmpty()) {
      return Future.succeededFuture(allFull());
    }
    return offerInTurn(submission, candidates, 0, null);
  }

  /**
   * Offers the job to {@code candidates[index]}; a node that turns it down for its load, or that
   * has vanished, passes it on to the next. Past the last one, the last rejection stands.
   */
  private Future<JsonObject> offerInTurn(Submission submission, List<String> candidates, int index,
                                         JsonObject lastRejection) {
    if (index >= candidates.size()) {
      return Future.succeededFuture(lastRejection != null ? lastRejection : allFull());
    }
    String nodeId = candidates.get(index);
    boolean local = nodeId.equals(view.selfId());
    // both branches of one compose: a failure further down the list is not taken for this node's
    return offer(nodeId, submission).compose(
      answer -> {
        if (SubmitReplies.isAccepted(answer)) {
          return Future.succeededFuture(answer.copy().put("nodeId", nodeId));
        }
        return passOn(answer.getString("reason"), local)
          ? offerInTurn(submission, candidates, index + 1, answer)
          : Future.succeededFuture(answer);
      },
      err -> isNoHandlers(err)
        // the node went away (or its pool stopped): nothing runs there, try the next
        ? offerInTurn(submission, candidates, index + 1, lastRejection)
        : Future.failedFuture(asRequestFailure(err, nodeId)));
  }

  /** Whether a rejection sends the job on to the next candidate: its load or health changed since its state. */
  private static boolean passOn(String reason, boolean local) {
    return RejectReason.FULL.wireName().equals(reason) || RejectReason.CAPACITY.wireName().equals(reason)
      || RejectReason.DEGRADED.wireName().equals(reason)
      // a remote node that started draining after its last state; this node's own drain is final
      || (!local && RejectReason.DRAINING.wireName().equals(reason));
  }

  /**
   * Sends the job to one node's pool and keeps the books on it: counted on that node until it
   * ends or is turned down, and tracked as forwarded while it runs on another node. This node's
   * own pool gets the submission as it is; another node gets its JSON form, with its id.
   */
  private Future<JsonObject> offer(String nodeId, Submission submission) {
    String jobId = submission.jobId();
    boolean local = nodeId.equals(view.selfId());
    view.sent(nodeId, jobId);
    if (!local) {
      forwarded.forwarding(jobId, nodeId);
    }
    Object body = local ? submission : submission.toJson();
    return vertx.eventBus().<JsonObject>request(addresses.onNode(nodeId, addresses.jobsSubmit()), body, toNode(nodeId))
      .map(Message::body)
      .andThen(ar -> {
        if (ar.succeeded() && SubmitReplies.isAccepted(ar.result())) {
          if (!local && forwarded.accepted(jobId)) {
            nodeLost(jobId, nodeId);
          }
        } else {
          view.done(jobId);
          if (!local) {
            forwarded.notAccepted(jobId);
          }
        }
      });
  }

  private JsonObject allFull() {
    List<NodeView.Node> nodes = view.nodes(System.nanoTime());
    double lowest = nodes.stream().mapToDouble(node -> node.state().effectiveLoad()).min()
      .orElse(self.get().effectiveLoad());
    return SubmitReplies.rejected(RejectReason.FULL, lowest, self.get().threshold(),
      String.format("every node of the cluster is full, draining or degraded (%d node(s); the lowest load is %.2f)",
        nodes.size(), lowest));
  }

  // ---- cancel and get ------------------------------------------------------------------

  /**
   * A cancel or get ({@code address}) of job {@code jobId}: to the node running the job when it
   * is a forwarded one; otherwise to this node's pool, and when that does not know the job, to
   * each other node in turn (a job submitted elsewhere, or forwarded from here and since ended).
   */
  Future<JsonObject> ask(String address, String jobId, JsonObject request) {
    String owner = forwarded.nodeOf(jobId);
    List<String> nodes = new ArrayList<>();
    if (owner != null) {
      nodes.add(owner);
    } else {
      String selfId = view.selfId();
      nodes.add(selfId);
      view.nodes(System.nanoTime()).stream().map(NodeView.Node::id).filter(n -> !n.equals(selfId)).forEach(nodes::add);
    }
    return askInTurn(address, request, nodes, 0, null);
  }

  /** @param notFound the first "no such job" answer, which stands if no node knows the job */
  private Future<JsonObject> askInTurn(String address, JsonObject request, List<String> nodes, int index,
                                       Throwable notFound) {
    String nodeId = nodes.get(index);
    return vertx.eventBus().<JsonObject>request(addresses.onNode(nodeId, address), request, toNode(nodeId))
      .map(Message::body)
      .recover(err -> {
        boolean tryNext = err instanceof ReplyException re
          && (re.failureCode() == BusFailure.NOT_FOUND || re.failureType() == ReplyFailure.NO_HANDLERS);
        if (tryNext && index + 1 < nodes.size()) {
          return askInTurn(address, request, nodes, index + 1, notFound != null ? notFound : err);
        }
        return Future.failedFuture(asRequestFailure(notFound != null && tryNext ? notFound : err, nodeId));
      });
  }

  // ---- jobs ending ---------------------------------------------------------------------

  /** A job's terminal event, from whichever node ran it. */
  void jobEnded(String jobId) {
    forwarded.ended(jobId);
    view.done(jobId);
  }

  /**
   * The node left the cluster. Events it sent just before may still be on their way (a graceful
   * leave after a drain): they are waited for {@link ClusterVerticle#NODE_LOST_GRACE_MS}, then
   * each of its jobs not yet seen to end is declared lost.
   */
  void nodeLeft(String nodeId) {
    vertx.setTimer(ClusterVerticle.NODE_LOST_GRACE_MS, id -> {
      for (String jobId : forwarded.nodeLeft(nodeId)) {
        nodeLost(jobId, nodeId);
      }
    });
  }

  private void nodeLost(String jobId, String nodeId) {
    LOG.warn("job {} is lost: node {} running it left the cluster", jobId, nodeId);
    vertx.eventBus().publish(addresses.jobsEvents(),
      JobEvents.failed(jobId, FailureReason.NODE_LOST, "node " + nodeId + " running the job left the cluster"));
  }

  // ---- helpers -------------------------------------------------------------------------

  private DeliveryOptions toNode(String nodeId) {
    // this node's own pool is reached without asking the cluster where the address lives
    return new DeliveryOptions().setSendTimeout(ClusterVerticle.FORWARD_TIMEOUT_MS).setLocalOnly(nodeId.equals(view.selfId()));
  }

  private static boolean isNoHandlers(Throwable err) {
    return err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
  }

  /**
   * What a request fails with when a node did: the node's own failure passes on with its code;
   * a node that is not there or did not answer is {@link BusFailure#UNAVAILABLE}.
   */
  static ReplyException asRequestFailure(Throwable err, String nodeId) {
    if (err instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      return re;
    }
    if (isNoHandlers(err)) {
      return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, BusFailure.UNAVAILABLE,
        "no node could take the request (the pool is not running)");
    }
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, BusFailure.UNAVAILABLE,
      "node " + nodeId + " did not answer: " + (err == null ? "?" : err.getMessage()));
  }
}
