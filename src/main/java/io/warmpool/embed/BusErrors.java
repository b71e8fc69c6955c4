package io.warmpool.embed;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.warmpool.bus.BusFailure;

/** A failed bus request, as the typed client reports it: the exception a caller can act on. */
final class BusErrors {

  /**
   * @param address where the request went
   * @param jobId   the job it named, or {@code null}
   */
  static Throwable of(Throwable err, String address, String jobId) {
    if (!(err instanceof ReplyException reply)) {
      return err;
    }
    if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return new IllegalStateException("nothing answers at " + address + ": no pool with this bus.prefix is deployed in"
        + " this Vert.x, or it has been closed", err);
    }
    if (reply.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
      return err;
    }
    return switch (reply.failureCode()) {
      case BusFailure.NOT_FOUND -> new NoSuchJobException(jobId, false, reply.getMessage());
      case BusFailure.GONE -> new NoSuchJobException(jobId, true, reply.getMessage());
      case BusFailure.BAD_REQUEST -> new IllegalArgumentException(reply.getMessage(), err);
      default -> err;
    };
  }

  private BusErrors() {
  }
}
