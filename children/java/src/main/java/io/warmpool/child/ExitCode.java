package io.warmpool.child;

/**
 * Exit statuses of the Java child runtime. The worker only needs to know that the process
 * ended; the distinct values are there so that a log line says why without a stack trace.
 */
public final class ExitCode {

  /** Orderly exit after {@code shutdown}. */
  public static final int OK = 0;
  /** The entrypoint could not be loaded or its prewarm hook failed ({@code initFailed} was sent). */
  public static final int INIT_FAILED = 1;
  /** Started without a usable {@code WARMPOOL_IPC_PORT} / {@code WARMPOOL_IPC_TOKEN}, or could not connect. */
  public static final int BAD_START = 2;
  /** The worker sent something the protocol does not allow (not JSON, too long, out of order). */
  public static final int PROTOCOL_ERROR = 3;
  /** The channel closed or failed: the worker is gone. */
  public static final int CHANNEL_CLOSED = 4;
  /** The process that started this child is gone. */
  public static final int PARENT_GONE = 5;
  /** A bug in the runtime itself. */
  public static final int INTERNAL_ERROR = 70;

  private ExitCode() {
  }
}
