package io.warmpool.client;

/**
 * A request the worker refused, or that could not reach it. {@link #code()} is the worker's
 * error code ({@code bad-request}, {@code not-found}, {@code gone}, {@code unauthorized},
 * {@code too-large}…, docs/websocket.md) or one of the client's own:
 *
 * <ul>
 *   <li>{@code unreachable}: no connection could be opened (nothing listens, wrong host, refused upgrade);</li>
 *   <li>{@code connection-lost}: the connection dropped and was not opened again (reconnect off, or given up);</li>
 *   <li>{@code timeout}: no answer within {@link ClientOptions#setRequestTimeout};</li>
 *   <li>{@code closed}: the client was closed first.</li>
 * </ul>
 */
public class WarmpoolException extends RuntimeException {

  public static final String UNREACHABLE = "unreachable";
  public static final String CONNECTION_LOST = "connection-lost";
  public static final String TIMEOUT = "timeout";
  public static final String CLOSED = "closed";
  public static final String UNAUTHORIZED = "unauthorized";
  public static final String NOT_FOUND = "not-found";
  public static final String GONE = "gone";
  public static final String BAD_REQUEST = "bad-request";
  public static final String TOO_LARGE = "too-large";

  private final String code;

  public WarmpoolException(String code, String message) {
    super(message);
    this.code = code;
  }

  public WarmpoolException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public String code() {
    return code;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + code + "]: " + getMessage();
  }
}
