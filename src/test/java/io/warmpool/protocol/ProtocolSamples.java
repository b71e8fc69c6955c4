package io.warmpool.protocol;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** One message of every type, and every message type the code declares. */
final class ProtocolSamples {

  static final List<Message> ALL = List.of(
    new WorkerMessage.Initialize("com.example.Main", new JsonObject()),
    new WorkerMessage.Start("j", new JsonObject().put("op", "echo")),
    new WorkerMessage.Ping(1),
    new WorkerMessage.Shutdown("drain"),
    new WorkerMessage.Cancel("j", 3000),
    new ChildMessage.Hello("token", 42, "java 17"),
    new ChildMessage.Ready(),
    new ChildMessage.InitFailed("java.lang.IllegalStateException: boom"),
    new ChildMessage.Started("j"),
    new ChildMessage.Output("j", 1),
    new ChildMessage.Done("j", new JsonObject()),
    new ChildMessage.Failed("j", "java.lang.IllegalStateException: boom"),
    new ChildMessage.Pong(1),
    new ChildMessage.Exiting("shutdown"),
    new ChildMessage.Log("info", "loaded", new JsonObject().put("rows", 3), "j"));

  /** The records of the sealed hierarchy under {@link Message}. */
  static List<Class<?>> messageClasses() {
    List<Class<?>> records = new ArrayList<>();
    collect(Message.class, records);
    return records;
  }

  private static void collect(Class<?> type, List<Class<?>> records) {
    if (type.isRecord()) {
      records.add(type);
      return;
    }
    for (Class<?> permitted : type.getPermittedSubclasses()) {
      collect(permitted, records);
    }
  }

  private ProtocolSamples() {
  }
}
