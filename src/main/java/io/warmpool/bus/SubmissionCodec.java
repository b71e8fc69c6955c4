package io.warmpool.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Carries a {@link Submission} between the verticles of one node as the object itself: nothing
 * is encoded or read again on the way. It never crosses to another node: a forward travels as
 * {@link Submission#toJson()}, the documented JSON form, which any node (and any bus client)
 * reads.
 */
public final class SubmissionCodec implements MessageCodec<Submission, Submission> {

  public static final String NAME = "warmpool.submission";

  private SubmissionCodec() {
  }

  /**
   * Lets this event bus carry submissions. Every verticle that sends or takes them calls it when
   * it starts, whichever is deployed first; a second call changes nothing.
   */
  public static void registerOn(EventBus bus) {
    try {
      bus.registerDefaultCodec(Submission.class, new SubmissionCodec());
    } catch (IllegalStateException registeredAlready) {
      // the event bus accepts one default codec per class: the first registration stands
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, Submission submission) {
    throw new IllegalStateException("a submission is sent to another node as JSON (Submission.toJson()), not as an object");
  }

  @Override
  public Submission decodeFromWire(int pos, Buffer buffer) {
    throw new IllegalStateException("a submission arrives from another node as JSON, not as an object");
  }

  /** The sender hands the submission over and keeps no reference to it: no copy is needed. */
  @Override
  public Submission transform(Submission submission) {
    return submission;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
