package io.warmpool.pool.policy;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Jobs by how many load samples were taken since they were added, each forgotten once the
 * moving average of {@code window} samples has wholly taken in what happened to it.
 *
 * <p>Admission keeps two. Jobs accepted but not yet seen by the average hold reserved load
 * (LiveKit agents #4884): a job accepted {@code k} samples ago is seen {@code k/window}, so it
 * still holds {@code 1 − k/window} of a slot; without this, two submissions inside one load
 * window both pass when only one fits. Jobs that ended within the window are still part of
 * the average: the load says they ran, so they count among the jobs it is made of.
 */
public final class SampleAges {

  private final int window;
  /** Samples seen since each job was added, by job id. */
  private final Map<String, int[]> ages = new LinkedHashMap<>();
  /**
   * The ages added up, kept as they change: the pool reads {@link #leftInWindow} on every pump,
   * so it must not walk every job accepted within the window (their number grows with the rate).
   */
  private long ageSum;

  public SampleAges(int window) {
    this.window = window;
  }

  public void add(String jobId) {
    int[] replaced = ages.put(jobId, new int[] {0});
    if (replaced != null) {
      ageSum -= replaced[0];
    }
  }

  public void remove(String jobId) {
    int[] removed = ages.remove(jobId);
    if (removed != null) {
      ageSum -= removed[0];
    }
  }

  /** A new load sample was taken: every job is seen a bit more. */
  public void onSample() {
    Iterator<int[]> it = ages.values().iterator();
    while (it.hasNext()) {
      int[] age = it.next();
      if (age[0] + 1 >= window) {
        ageSum -= age[0];
        it.remove();
      } else {
        age[0]++;
        ageSum++;
      }
    }
  }

  public int count() {
    return ages.size();
  }

  /**
   * What is left of the window for these jobs, in jobs (fractional): for jobs accepted, the
   * part of them the average has not seen yet; for jobs ended, the part of them it still holds.
   */
  public double leftInWindow() {
    // the sum over the jobs of 1 − age / window
    return ages.size() - (double) ageSum / window;
  }
}
