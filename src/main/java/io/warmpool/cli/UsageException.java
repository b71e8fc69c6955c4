package io.warmpool.cli;

/** Arguments the command-line client cannot use; the message says which and why. */
final class UsageException extends Exception {

  UsageException(String message) {
    super(message);
  }
}
