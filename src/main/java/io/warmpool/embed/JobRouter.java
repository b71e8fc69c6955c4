package io.warmpool.embed;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.JobEvents;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One consumer of {@code <prefix>.jobs.events} for a whole client, handing each event to the
 * jobs that follow it, each on its own context: a consumer per job would have every event
 * delivered to every job. Not a local consumer: in a cluster a job runs on whichever node the
 * dispatcher chose, and its events come from there. A job's followers are forgotten with its
 * terminal event.
 */
final class JobRouter {

  private final Map<String, List<SubmittedJob>> followers = new ConcurrentHashMap<>();
  private final MessageConsumer<JsonObject> consumer;

  JobRouter(Vertx vertx, String address) {
    consumer = vertx.eventBus().consumer(address, this::onEvent);
  }

  /** Completes once the consumer is registered (in a cluster: known to the other nodes). */
  Future<Void> ready() {
    return consumer.completion();
  }

  /** From now on the job gets its events: call it before the job can have any. */
  void follow(SubmittedJob job) {
    followers.computeIfAbsent(job.jobId(), id -> new CopyOnWriteArrayList<>()).add(job);
  }

  void unfollow(SubmittedJob job) {
    followers.computeIfPresent(job.jobId(), (id, jobs) -> {
      jobs.remove(job);
      return jobs.isEmpty() ? null : jobs;
    });
  }

  private void onEvent(Message<JsonObject> message) {
    JsonObject event = message.body();
    String jobId = event.getString("jobId");
    List<SubmittedJob> jobs = JobEvents.isTerminal(event) ? followers.remove(jobId) : followers.get(jobId);
    if (jobs == null) {
      return;
    }
    for (SubmittedJob job : jobs) {
      // each follower gets its own copy: a reader may change what it is handed
      JsonObject own = jobs.size() == 1 ? event : event.copy();
      OnContext.run(job.context(), () -> job.live(own));
    }
  }

  /** Tells every job still followed that nothing more will come, and stops listening. */
  Future<Void> close(Throwable cause) {
    for (List<SubmittedJob> jobs : followers.values()) {
      jobs.forEach(job -> OnContext.run(job.context(), () -> job.closed(cause)));
    }
    followers.clear();
    return consumer.unregister();
  }
}
