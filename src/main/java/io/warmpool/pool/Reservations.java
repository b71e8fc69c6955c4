package io.warmpool.pool;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The load of jobs accepted but not yet seen by the averaged load (LiveKit agents #4884).
 *
 * <p>A moving average over {@code window} samples sees a new job's load one window-th more
 * with each sample, so a job accepted {@code k} samples ago still holds {@code 1 − k/window}
 * of a slot. Without this, two submissions inside one load window both pass when only one fits.
 * A job that has ended adds no load any more, so its reservation goes with it: otherwise short
 * jobs would be capped at a few per load interval however little they weigh.
 */
final class Reservations {

  private final int window;
  /** Samples seen since each job was accepted, by job id. */
  private final Map<String, int[]> ages = new LinkedHashMap<>();

  Reservations(int window) {
    this.window = window;
  }

  /** A job was accepted. */
  void add(String jobId) {
    ages.put(jobId, new int[] {0});
  }

  /** A job ended: what was left of its reservation is released. */
  void release(String jobId) {
    ages.remove(jobId);
  }

  /** A new load sample was taken: every reservation is seen a bit more. */
  void onSample() {
    Iterator<int[]> it = ages.values().iterator();
    while (it.hasNext()) {
      int[] age = it.next();
      if (++age[0] >= window) {
        it.remove();
      }
    }
  }

  /** Slots still held, in jobs (fractional). */
  double slots() {
    double slots = 0;
    for (int[] age : ages.values()) {
      slots += 1.0 - (double) age[0] / window;
    }
    return slots;
  }
}
