package io.warmpool.child;

/**
 * Ends the child when the process that started it is gone. The closed channel tells the runtime
 * the same thing sooner; this covers a channel that never connected or a reader that is stuck.
 */
final class ParentWatch {

  static void start() {
    ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
      System.err.println("[warmpool child] the worker (pid " + parent.pid() + ") is gone; exiting");
      Runtime.getRuntime().halt(0);
    }));
  }

  private ParentWatch() {
  }
}
