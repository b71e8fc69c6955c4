package io.warmpool.child;

/**
 * The worker broke the child protocol: a frame that is not a JSON object, over the frame limit,
 * a known message with a field missing or mistyped, or a message out of order. The channel cannot
 * be trusted any more: the child sends {@code exiting} with this message and exits with
 * {@link ExitCode#PROTOCOL_ERROR}.
 */
final class ProtocolViolation extends Exception {

  ProtocolViolation(String message) {
    super(message);
  }
}
