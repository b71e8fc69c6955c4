package io.warmpool.child;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.ExecutionException;

/**
 * Turns an exception into the {@code error} string of {@code failed} and {@code initFailed}:
 * {@code "ExceptionClass: message"}, with the root cause appended when it says more.
 */
final class ErrorText {

  /** Keeps a {@code failed} frame far below the frame limit whatever the message holds. */
  static final int MAX_CHARS = 8 * 1024;

  static String of(Throwable error) {
    Throwable shown = unwrap(error);
    StringBuilder text = new StringBuilder(describe(shown));
    Throwable root = shown;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != shown) {
      text.append(" (caused by ").append(describe(root)).append(')');
    }
    if (text.length() > MAX_CHARS) {
      text.setLength(MAX_CHARS - 3);
      text.append("...");
    }
    return text.toString();
  }

  // Reflection and executors wrap the interesting exception; the wrapper only adds noise.
  private static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while ((current instanceof InvocationTargetException || current instanceof ExecutionException)
      && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static String describe(Throwable error) {
    String message = error.getMessage();
    return message == null ? error.getClass().getName() : error.getClass().getName() + ": " + message;
  }

  private ErrorText() {
  }
}
