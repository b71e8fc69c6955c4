package io.warmpool.web;

/** The {@code code} of a WebSocket {@code error} frame. */
enum ErrorCode {
  BAD_JSON("bad-json"),
  BAD_REQUEST("bad-request"),
  UNKNOWN_OP("unknown-op"),
  TOO_LARGE("too-large"),
  UNAUTHORIZED("unauthorized"),
  NOT_FOUND("not-found"),
  GONE("gone");

  final String wireName;

  ErrorCode(String wireName) {
    this.wireName = wireName;
  }
}
