package io.warmpool.bus;

/**
 * Failure codes of request-reply calls ({@code Message.fail(code, message)}); the message
 * always says what was wrong in words a user can act on.
 */
public final class BusFailure {

  /** The request body is not what the address takes; the message names the field. */
  public static final int BAD_REQUEST = 400;

  /** No job with that id is known: never submitted here, or ended so long ago that even its id is forgotten. */
  public static final int NOT_FOUND = 404;

  /**
   * The job ended and its record has been dropped ({@code job.retainMs}, {@code job.maxRecords},
   * {@code job.maxRecordsMb}): its outcome can no longer be read.
   */
  public static final int GONE = 410;

  /** The worker cannot take the request now (for instance it is shutting down). */
  public static final int UNAVAILABLE = 503;

  private BusFailure() {
  }
}
