package io.warmpool.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The jobs a client follows, each by as many trackers as it was submitted or watched (a watch
 * from another {@code seq} is a tracker of its own), until their terminal events. Only the
 * client's thread touches it.
 */
final class FollowedJobs {

  private final Executor delivery;
  private final int bufferSize;
  private final Map<String, List<JobTracker>> trackers = new HashMap<>();
  /**
   * Events of jobs not followed yet, kept while a submit waits for its answer: in a cluster the
   * job's first events can come before the {@code accepted} that names it.
   */
  private final Map<String, List<JobEvent>> early = new HashMap<>();

  FollowedJobs(Executor delivery, int bufferSize) {
    this.delivery = delivery;
    this.bufferSize = bufferSize;
  }

  /** Follows a job from the event after {@code fromSeq}; events that came early are taken first. */
  JobTracker follow(String jobId, long fromSeq) {
    JobTracker tracker = new JobTracker(jobId, fromSeq, delivery, bufferSize);
    trackers.computeIfAbsent(jobId, id -> new ArrayList<>()).add(tracker);
    List<JobEvent> before = early.remove(jobId);
    if (before != null) {
      before.forEach(tracker::accept);
      forgetIfEnded(tracker);
    }
    return tracker;
  }

  /**
   * Hands a job event to the job's trackers, each of which drops what it has seen.
   *
   * @param submitsWaiting whether a submit waits for its answer: an event of a job not followed is then kept for it
   */
  void event(JobEvent event, boolean submitsWaiting) {
    List<JobTracker> list = trackers.get(event.jobId());
    if (list != null) {
      for (JobTracker tracker : List.copyOf(list)) {
        tracker.accept(event);
        forgetIfEnded(tracker);
      }
    } else if (submitsWaiting) {
      List<JobEvent> held = early.computeIfAbsent(event.jobId(), id -> new ArrayList<>());
      if (held.size() < bufferSize) {
        held.add(event);
      }
    }
  }

  /** No submit waits any longer: what was kept for one goes. */
  void dropEarly() {
    early.clear();
  }

  /** Where to watch each unfinished job from after a reconnect: the last {@code seq} all its trackers have. */
  Map<String, Long> resumePoints() {
    Map<String, Long> points = new LinkedHashMap<>();
    trackers.forEach((jobId, list) -> points.put(jobId, list.stream().mapToLong(JobTracker::lastSeq).min().orElse(0)));
    return points;
  }

  /** The job can no longer be followed: its outcome and events fail with {@code failure}. */
  void lost(String jobId, WarmpoolException failure) {
    List<JobTracker> list = trackers.remove(jobId);
    if (list != null) {
      list.forEach(t -> t.fail(failure));
    }
  }

  void failAll(WarmpoolException failure) {
    List<JobTracker> all = trackers.values().stream().flatMap(List::stream).toList();
    trackers.clear();
    early.clear();
    all.forEach(t -> t.fail(failure));
  }

  /** An ended job is no longer followed, nor watched again after a reconnect. */
  private void forgetIfEnded(JobTracker tracker) {
    if (!tracker.ended()) {
      return;
    }
    List<JobTracker> list = trackers.get(tracker.jobId);
    if (list != null && list.remove(tracker) && list.isEmpty()) {
      trackers.remove(tracker.jobId);
    }
  }
}
