package io.warmpool.child;

/** The worker broke docs/protocol.md; the child cannot trust the channel any more. */
final class ProtocolException extends Exception {

  ProtocolException(String message) {
    super(message);
  }

  ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
