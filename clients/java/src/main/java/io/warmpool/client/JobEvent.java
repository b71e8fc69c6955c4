package io.warmpool.client;

import com.google.gson.JsonObject;

/**
 * One event of a job, as the worker sent it ({@code {"type":"job","jobId":…,"event":…,"seq":…}},
 * docs/websocket.md).
 *
 * @param jobId the job's id
 * @param seq   its number in the job's stream: 1, 2, 3… with no gap, the terminal event last
 * @param type  {@code started}, {@code output}, {@code log}, or a terminal one: {@code completed},
 *              {@code failed}, {@code cancelled}
 * @param json  the whole frame: {@code pid} of {@code started}, {@code data} of {@code output},
 *              {@code result} of {@code completed}, {@code reason} and {@code detail} of {@code failed}…
 */
public record JobEvent(String jobId, long seq, String type, JsonObject json) {

  /** Whether this is the job's last event: {@code completed}, {@code failed} or {@code cancelled}. */
  public boolean isTerminal() {
    return JobOutcome.State.of(type) != null;
  }

  /** Reads a {@code job} frame. */
  static JobEvent of(JsonObject frame) {
    return new JobEvent(Json.string(frame, "jobId"), Json.number(frame, "seq"), Json.string(frame, "event"), frame);
  }

  @Override
  public String toString() {
    return json.toString();
  }
}
