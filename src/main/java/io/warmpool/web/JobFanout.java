package io.warmpool.web;

import io.vertx.core.json.JsonObject;
import io.warmpool.bus.HopTrace;
import io.warmpool.bus.JobEvents;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Routes job events from the bus to the connections that follow each job: the one that
 * submitted it and every one that watches it. A job's followers are forgotten with its
 * terminal event. Used on the web verticle's event loop only.
 */
final class JobFanout {

  private final Map<String, Set<WsSession>> followers = new HashMap<>();

  void follow(String jobId, WsSession session) {
    followers.computeIfAbsent(jobId, id -> new LinkedHashSet<>()).add(session);
  }

  /** True if the session was following the job (so it has not had its terminal event yet). */
  boolean unfollow(String jobId, WsSession session) {
    Set<WsSession> sessions = followers.get(jobId);
    if (sessions == null || !sessions.remove(session)) {
      return false;
    }
    if (sessions.isEmpty()) {
      followers.remove(jobId);
    }
    return true;
  }

  void onEvent(JsonObject event) {
    HopTrace.stamp(event, HopTrace.DELIVERED);
    String jobId = event.getString("jobId");
    boolean terminal = JobEvents.isTerminal(event);
    Set<WsSession> sessions = terminal ? followers.remove(jobId) : followers.get(jobId);
    if (sessions == null) {
      return;
    }
    for (WsSession session : sessions) {
      session.jobEvent(event, terminal);
    }
  }
}
