package io.warmpool.pool;

import io.vertx.core.json.JsonObject;
import io.warmpool.protocol.ChildMessage;

/** What a {@link SupervisedChild} tells the pool, on the pool's event loop. */
interface ChildEvents {

  /** Something the pool's state shows changed (the child connected, say). */
  void stateChanged();

  /** It is warm and idle. */
  void ready(SupervisedChild child);

  /** It started the job it was handed. */
  void jobStarted(SupervisedChild child, Job job);

  void jobOutput(Job job, Object data);

  /** Its job ended by the child's own word ({@code done} or {@code failed}); it is idle again or on its way out. */
  void jobEnded(Job job, JsonObject terminalEvent);

  /**
   * It sent a log record; {@code job} is its running job when the record names it, else
   * {@code null} (a record made outside a job, or for a job that has ended).
   */
  void log(SupervisedChild child, Job job, ChildMessage.Log record);

  /** It is being killed, its job (if any) still with it. */
  void killed(SupervisedChild child, ExitCause cause, String detail);

  /** Its process is gone and it has left every count; {@code exit} says how it ended. */
  void exited(SupervisedChild child, String exit);
}
