package io.warmpool.bus;

import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/** The body of {@code <prefix>.jobs.cancel} and {@code <prefix>.jobs.get}: {@code {"jobId":ID}}. */
public final class JobIdRequest {

  /**
   * The job id the request names, or {@code null} after failing the message with
   * {@link BusFailure#BAD_REQUEST} because it names none, or one that cannot be a {@link JobId}.
   */
  public static String jobIdOrFail(Message<JsonObject> message) {
    Object id = message.body() == null ? null : message.body().getValue("jobId");
    if (!JobId.isValid(id)) {
      message.fail(BusFailure.BAD_REQUEST, JobId.RULE);
      return null;
    }
    return (String) id;
  }

  private JobIdRequest() {
  }
}
