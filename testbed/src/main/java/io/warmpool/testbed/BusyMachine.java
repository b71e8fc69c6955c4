package io.warmpool.testbed;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Other work on the machine while a run's load goes on: threads of the load test that keep
 * {@code cores} CPUs busy (a fraction of one by a duty cycle), so the worker's CPU load starts
 * that high and its jobs arrive on a busy machine. Daemon threads, stopped with the load.
 */
final class BusyMachine {

  /** A duty cycle's period: short enough that the worker's load samples (every 500 ms) see an even load. */
  private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  private BusyMachine() {
  }

  /** Starts the threads; {@code cores} 0 starts none. */
  static BusyMachine start(double cores) {
    BusyMachine busy = new BusyMachine();
    for (double left = cores; left > 1e-9; left -= 1) {
      double share = Math.min(1, left);
      Thread thread = new Thread(() -> busy.burn(share), "busy-machine-" + busy.threads.size());
      thread.setDaemon(true);
      thread.setPriority(Thread.MIN_PRIORITY);
      busy.threads.add(thread);
      thread.start();
    }
    return busy;
  }

  private void burn(double share) {
    long busyNanos = (long) (PERIOD_NANOS * share);
    long x = 1;
    while (running) {
      long periodStart = System.nanoTime();
      while (System.nanoTime() - periodStart < busyNanos) {
        x = x * 6364136223846793005L + 1442695040888963407L;
      }
      long rest = PERIOD_NANOS - (System.nanoTime() - periodStart);
      if (rest > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(rest);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
    // keeps the loop from being optimised away
    if (x == 42) {
      System.out.print("");
    }
  }

  void stop() {
    running = false;
    threads.forEach(Thread::interrupt);
  }
}
