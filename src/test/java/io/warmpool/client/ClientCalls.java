package io.warmpool.client;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.warmpool.Await;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Waiting for the client's futures from a test thread, always bounded. */
final class ClientCalls {

  static JsonObject json(String text) {
    return JsonParser.parseString(text).getAsJsonObject();
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(Await.DEFAULT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The {@link WarmpoolException} the stage fails with. */
  static WarmpoolException failure(CompletionStage<?> stage) {
    ExecutionException thrown = assertThrows(ExecutionException.class,
      () -> stage.toCompletableFuture().get(Await.DEFAULT.toSeconds(), TimeUnit.SECONDS));
    assertThat(thrown.getCause()).isInstanceOf(WarmpoolException.class);
    return (WarmpoolException) thrown.getCause();
  }

  private ClientCalls() {
  }
}
