package io.warmpool.load;

/**
 * The average of the last {@code window} values; of fewer while it fills, so the first samples
 * after start-up are not dragged towards 0 by slots that were never measured.
 * <p>
 * Not thread-safe: the {@link LoadTimer} feeds it from one context.
 */
public final class MovingAverage {

  private final double[] values;
  private int size;
  private int next;

  /** @param window how many of the latest values count, at least 1 */
  public MovingAverage(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1, was " + window);
    }
    this.values = new double[window];
  }

  /** Adds a value, dropping the oldest once the window is full, and returns the new average. */
  public double add(double value) {
    values[next] = value;
    next = (next + 1) % values.length;
    if (size < values.length) {
      size++;
    }
    return average();
  }

  /** The average of the values held, 0 before the first. */
  public double average() {
    if (size == 0) {
      return 0;
    }
    // Summed afresh each time rather than kept as a running sum: windows are small, and a
    // running sum of doubles drifts over days of add/subtract.
    double sum = 0;
    for (int i = 0; i < size; i++) {
      sum += values[i];
    }
    return sum / size;
  }

  /** How many values the average is over now (at most the window). */
  public int size() {
    return size;
  }

  public int window() {
    return values.length;
  }
}
