package io.warmpool.pool;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The load of jobs accepted but not yet seen by the averaged load (LiveKit agents #4884).
 *
 * <p>A moving average over {@code window} samples sees a new job's load one window-th more
 * with each sample, so a job accepted {@code k} samples ago still holds {@code 1 − k/window}
 * of a slot. Without this, two submissions inside one load window both pass when only one fits.
 */
final class Reservations {

  private final int window;
  private final ArrayDeque<int[]> ages = new ArrayDeque<>();

  Reservations(int window) {
    this.window = window;
  }

  /** A job was accepted. */
  void add() {
    ages.addLast(new int[] {0});
  }

  /** A new load sample was taken: every reservation is seen a bit more. */
  void onSample() {
    Iterator<int[]> it = ages.iterator();
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
    for (int[] age : ages) {
      slots += 1.0 - (double) age[0] / window;
    }
    return slots;
  }
}
