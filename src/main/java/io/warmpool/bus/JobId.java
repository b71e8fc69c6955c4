package io.warmpool.bus;

import java.util.regex.Pattern;

/**
 * What a job id may be: 1 to {@link #MAX_LENGTH} characters, each a letter or digit (ASCII) or
 * one of {@code . _ : -}. The ids the worker gives (UUIDs) are such ids. Nothing else is taken,
 * wherever an id enters a node (a WebSocket frame, a bus request, a forward from another node):
 * an id is then safe in a log line, a metric, a file or a URL as it is, and cannot forge a line
 * or carry a control character.
 */
public final class JobId {

  public static final int MAX_LENGTH = 128;

  /** What a wrong id is told, on the WebSocket ({@code bad-request}) and the bus (400). */
  public static final String RULE = "jobId must be a string of 1 to " + MAX_LENGTH
    + " characters, each a letter, a digit or one of . _ : -";

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

  private JobId() {
  }

  public static boolean isValid(Object value) {
    return value instanceof String id && SAFE.matcher(id).matches();
  }

  /**
   * The id, if it is one.
   *
   * @throws IllegalArgumentException with {@link #RULE}
   */
  public static String of(Object value) {
    if (!isValid(value)) {
      throw new IllegalArgumentException(RULE);
    }
    return (String) value;
  }
}
