package io.warmpool.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** Reading the worker's frames: a field that is absent, null or of another type reads as absent. */
final class Json {

  static String string(JsonObject json, String name) {
    JsonElement value = json.get(name);
    return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString() ? value.getAsString() : null;
  }

  static long number(JsonObject json, String name) {
    JsonElement value = json.get(name);
    return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber() ? value.getAsLong() : 0;
  }

  static double decimal(JsonObject json, String name) {
    JsonElement value = json.get(name);
    return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber() ? value.getAsDouble() : 0;
  }

  private Json() {
  }
}
