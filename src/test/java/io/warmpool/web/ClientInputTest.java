package io.warmpool.web;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.WsClient;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.BusFailure;
import io.warmpool.bus.JobId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.UUID;

import static io.warmpool.web.WebFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a client sends cannot reach a log line or an answer as it is: job ids keep to a safe
 * alphabet wherever they enter, and errors repeat only a few dozen characters of the client's
 * text, escaped.
 */
@ExtendWith(VertxExtension.class)
class ClientInputTest {

  /** Ids that could forge a log line, hide text (bidi), or are too long. */
  private static final List<String> BAD_IDS = List.of("", "a\nINFO forged", "esc\u001b[2J", "nul\u0000", "rtl\u202eexe.txt",
    "with space", "slash/../x", "é", "x".repeat(JobId.MAX_LENGTH + 1));

  private WebFixture worker;

  @AfterEach
  void close() throws Exception {
    if (worker != null) {
      worker.close();
    }
  }

  @Test
  void aJobIdOutsideTheSafeAlphabetIsABadRequestOnEveryOp(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject());
    WsClient client = worker.client();

    int n = 0;
    for (String id : BAD_IDS) {
      for (String op : List.of("submit", "cancel", "watch")) {
        String ref = "r" + n++;
        JsonObject frame = new JsonObject().put("op", op).put("ref", ref).put("jobId", id);
        if (op.equals("submit")) {
          frame.put("payload", new JsonObject().put("op", "echo"));
        }
        client.send(frame);
        JsonObject reply = client.reply(ref);
        assertThat(reply.getString("code")).as("%s of %s", op, ClientText.quote(id)).isEqualTo("bad-request");
        assertThat(reply.getString("message")).isEqualTo(JobId.RULE);
      }
    }

    // the worker's own ids and a client's within the alphabet are jobs like any
    for (String id : List.of(UUID.randomUUID().toString(), "batch-7.step_2:retry-1", "x".repeat(JobId.MAX_LENGTH))) {
      client.send(new JsonObject().put("op", "submit").put("ref", id).put("jobId", id)
        .put("payload", new JsonObject().put("op", "echo")));
      assertThat(client.reply(id).getString("type")).isEqualTo("accepted");
      assertThat(client.terminal(id).getString("event")).isEqualTo("completed");
    }
    client.submit("generated", new JsonObject().put("op", "echo"));
    assertThat(JobId.isValid(client.reply("generated").getString("jobId"))).isTrue();
  }

  @Test
  void theBusRefusesTheSameIds(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject());

    for (String id : BAD_IDS) {
      for (String address : List.of(Addresses.DEFAULT.jobsSubmit(), Addresses.DEFAULT.jobsCancel(), Addresses.DEFAULT.jobsGet())) {
        JsonObject body = new JsonObject().put("jobId", id).put("payload", new JsonObject().put("op", "echo"));
        assertThatThrownBy(() -> await(vertx.eventBus().request(address, body)))
          .as("%s with %s", address, ClientText.quote(id))
          .hasCauseInstanceOf(ReplyException.class)
          .cause().satisfies(e -> {
            assertThat(((ReplyException) e).failureCode()).isEqualTo(BusFailure.BAD_REQUEST);
            assertThat(e.getMessage()).isEqualTo(JobId.RULE);
          });
      }
    }
  }

  @Test
  void errorsRepeatAFewDozenCharactersOfTheClientsTextEscaped(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("web", new JsonObject().put("maxFrameBytes", 1 << 20)));
    WsClient client = worker.client();

    client.send(new JsonObject().put("op", "\u001b[31m\n" + "f".repeat(64 * 1024)).put("ref", "op"));
    String unknown = client.reply("op").getString("message");
    assertThat(unknown).isEqualTo("unknown op \"\\u001b[31m\\u000a" + "f".repeat(ClientText.MAX_ECHO - 6)
      + "\"… (65542 characters) (submit, cancel, watch, subscribe, unsubscribe)");

    String longId = "n".repeat(JobId.MAX_LENGTH);
    client.send(new JsonObject().put("op", "watch").put("ref", "nf").put("jobId", longId));
    JsonObject notFound = client.reply("nf");
    assertThat(notFound.getString("code")).isEqualTo("not-found");
    assertThat(notFound.getString("message")).startsWith("no job \"" + "n".repeat(ClientText.MAX_ECHO) + "\"… (128 characters)");

    // a load that is not one: refused before the load source could repeat or log any of it
    WebFixture.Response load = worker.put("/load", null, "\"\\u001b[2J\\nINFO forged line\"");
    assertThat(load.status()).isEqualTo(400);
    assertThat(load.body()).doesNotContain("forged");
  }
}
