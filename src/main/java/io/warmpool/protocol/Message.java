package io.warmpool.protocol;

import io.vertx.core.json.JsonObject;

/**
 * One message of the child protocol, in either direction. Each is a record whose components
 * are exactly the message's fields on the wire, besides {@code type}.
 */
public sealed interface Message permits WorkerMessage, ChildMessage {

  /** The message's {@code type} on the wire. */
  String type();

  /** The message as the JSON object of its frame, {@code type} included. */
  JsonObject toJson();
}
