package io.warmpool.child;

import java.io.PrintStream;

/**
 * The runtime's own diagnostics. They go to stderr, which the worker logs line by line with
 * the child's pid; the prefix tells them apart from the job's own prints.
 */
final class ChildLog {

  // Captured once: an entrypoint that replaces System.err must not swallow our diagnostics.
  private static final PrintStream ERR = System.err;
  private static final String PREFIX = "[warmpool-child " + ProcessHandle.current().pid() + "] ";

  static void warn(String message) {
    ERR.println(PREFIX + message);
    ERR.flush();
  }

  static void warn(String message, Throwable error) {
    // One println per line so the worker's line-based capture keeps the trace readable.
    warn(message + ": " + error);
    for (StackTraceElement frame : error.getStackTrace()) {
      ERR.println(PREFIX + "    at " + frame);
    }
    Throwable cause = error.getCause();
    if (cause != null && cause != error) {
      warn("caused by", cause);
    }
    ERR.flush();
  }

  private ChildLog() {
  }
}
