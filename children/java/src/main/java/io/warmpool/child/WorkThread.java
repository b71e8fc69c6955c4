package io.warmpool.child;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The one long-lived thread that runs a child's prewarm hook and then its jobs, one after
 * another. A thread per job cost more than a small job (reusing one gave a third more echo jobs
 * per second, issue #18).
 *
 * <p>Why not a single-thread executor: {@code shutdownNow()} drops a task handed over but not
 * yet begun, and the executor clears the interrupt of a task that begins after
 * {@code shutdown()}; here a job whose {@code started} has gone out must always run, and run
 * interrupted once the child is stopping, so that its {@code done} or {@code failed} comes
 * before {@code exiting} (docs/protocol.md).
 */
final class WorkThread {

  /** Queued by {@link #stop()} behind what is already handed over: the loop ends there. */
  private static final Runnable END = () -> { };

  private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
  private final Thread thread = new Thread(this::loop, "warmpool-init");
  private volatile boolean stopping;

  WorkThread() {
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs {@code task} once what was handed over before it has ended. */
  void execute(Runnable task) {
    tasks.add(task);
  }

  /** Interrupts what runs now and what was handed over and has not begun; the thread then ends. */
  void stop() {
    // the flag first: the loop reads it after clearing a task's leftover interrupt
    stopping = true;
    tasks.add(END);
    thread.interrupt();
  }

  /** Waits for the thread to end after {@link #stop()}, however long what runs takes. */
  void awaitEnd() {
    boolean ended = false;
    while (!ended) {
      try {
        thread.join();
        ended = true;
      } catch (InterruptedException ignored) {
        // nobody interrupts the waiting thread; keep waiting
      }
    }
  }

  private void loop() {
    while (true) {
      Runnable task;
      try {
        task = tasks.take();
      } catch (InterruptedException stopOrLeftOver) {
        continue; // stop() queued END: the next take() finds it
      }
      if (task == END) {
        return;
      }
      // an interrupt the last task left behind is not the next one's; a stop's is
      Thread.interrupted();
      if (stopping) {
        thread.interrupt();
      }
      try {
        task.run();
      } catch (Throwable uncaught) {
        // reported as for a thread that dies of it, and the thread stays for the next task
        thread.getUncaughtExceptionHandler().uncaughtException(thread, uncaught);
      }
    }
  }
}
