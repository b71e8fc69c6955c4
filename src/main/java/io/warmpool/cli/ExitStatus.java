package io.warmpool.cli;

import io.warmpool.client.JobOutcome;
import io.warmpool.client.JobRejectedException;
import io.warmpool.client.WarmpoolException;

/** The command-line client's exit statuses (docs/clients.md has the same table). */
enum ExitStatus {
  /** The job completed; {@code cancel}: the job has ended; {@code state}: a state was printed. */
  OK(0),
  /** The job failed (its reason is on stderr). */
  FAILED(1),
  /** Wrong arguments, a payload that is not a JSON object, or a request the worker called bad. */
  USAGE(2),
  /** The job was cancelled. */
  CANCELLED(3),
  /** The worker did not take the job (its reason is on stderr). */
  REJECTED(4),
  /** {@code watch} or {@code cancel} of a job the worker does not know, or no longer keeps. */
  NOT_FOUND(5),
  /** No connection to the worker, or it was lost and not regained, or no answer in time. */
  UNREACHABLE(6),
  /** The worker wants a token, and none or a wrong one was given. */
  UNAUTHORIZED(7);

  final int code;

  ExitStatus(int code) {
    this.code = code;
  }

  static ExitStatus of(JobOutcome.State state) {
    return switch (state) {
      case COMPLETED -> OK;
      case FAILED -> FAILED;
      case CANCELLED -> CANCELLED;
    };
  }

  /** The status a client's failure calls for. */
  static ExitStatus of(WarmpoolException failure) {
    if (failure instanceof JobRejectedException) {
      return REJECTED;
    }
    return switch (failure.code() == null ? "" : failure.code()) {
      case WarmpoolException.UNAUTHORIZED -> UNAUTHORIZED;
      case WarmpoolException.NOT_FOUND, WarmpoolException.GONE -> NOT_FOUND;
      case WarmpoolException.BAD_REQUEST, WarmpoolException.TOO_LARGE -> USAGE;
      default -> UNREACHABLE;
    };
  }
}
