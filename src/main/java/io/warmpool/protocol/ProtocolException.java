package io.warmpool.protocol;

/**
 * The other end broke the child protocol: a frame that is not a JSON object, over the frame
 * limit, a known message with a missing or mistyped field, or a message out of order. The
 * channel cannot be trusted any more; the message says what was wrong, for the person who
 * wrote the other end.
 */
public final class ProtocolException extends Exception {

  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
