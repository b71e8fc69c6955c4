package io.warmpool.child;

import java.util.Optional;

/**
 * Ends the child when the process that started it is gone. The closed channel normally tells
 * first; this is the second line for a worker that dies in a way that leaves the socket open
 * (a frozen worker whose parent was killed, a socket inherited by another process).
 *
 * <p>On Linux an orphan is re-parented at once, so "my parent pid changed" is the reliable
 * signal; {@code isAlive()} on the original handle covers platforms where it is not.
 */
final class ParentWatchdog implements Runnable {

  private static final long INTERVAL_MS = 1_000;

  /** Starts the watchdog thread, which halts at once if there is no parent any more. */
  static void start() {
    // Finding the parent loads ProcessHandle's machinery; the watchdog thread does it, so the
    // main thread goes on connecting meanwhile.
    Thread thread = new Thread(new ParentWatchdog(), "warmpool-parent-watchdog");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void run() {
    Optional<ProcessHandle> found = ProcessHandle.current().parent();
    if (found.isEmpty() || !found.get().isAlive()) {
      exit("parent process is gone at start-up");
    }
    ProcessHandle parent = found.get();
    long parentPid = parent.pid();
    while (true) {
      try {
        Thread.sleep(INTERVAL_MS);
      } catch (InterruptedException e) {
        return;
      }
      long currentParent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
      if (currentParent != parentPid || !parent.isAlive()) {
        exit("parent process " + parentPid + " is gone");
      }
    }
  }

  private static void exit(String why) {
    ChildLog.warn(why + "; exiting");
    Runtime.getRuntime().halt(ExitCode.PARENT_GONE);
  }
}
