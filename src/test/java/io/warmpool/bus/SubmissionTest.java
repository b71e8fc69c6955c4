package io.warmpool.bus;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A submission is read and given its id once, where it enters a node; after that it is handed on as it is. */
class SubmissionTest {

  private static final JsonObject PAYLOAD = new JsonObject().put("op", "echo");

  @Test
  void aJsonSubmissionWithoutAnIdIsGivenOneWhereItIsRead() {
    Submission submission = Submission.of(new JsonObject().put("payload", PAYLOAD).put("timeoutMs", 500));

    assertThat(submission.jobId()).isNotBlank();
    assertThat(submission.payload()).isEqualTo(PAYLOAD);
    assertThat(submission.timeoutMs()).isEqualTo(500);
  }

  @Test
  void theClientsIdIsKept() {
    assertThat(Submission.of(new JsonObject().put("jobId", "j1").put("payload", PAYLOAD)).jobId()).isEqualTo("j1");
  }

  @Test
  void aSubmissionAlreadyReadIsHandedOnAsItIs() {
    Submission read = Submission.of(new JsonObject().put("payload", PAYLOAD));

    assertThat(Submission.of(read)).isSameAs(read);
  }

  @Test
  void itsJsonFormReadsBackToTheSameSubmissionOnAnotherNode() {
    Submission read = Submission.of(new JsonObject().put("payload", PAYLOAD).put("timeoutMs", 500));

    Submission there = Submission.of(read.toJson());

    assertThat(there).usingRecursiveComparison().ignoringFields("readNanos").isEqualTo(read);
    // the other node read it when it arrived there
    assertThat(there.readNanos()).isGreaterThan(read.readNanos());
  }

  @Test
  void logsAreAskedForWithTrueAndOffOtherwise() {
    assertThat(Submission.of(new JsonObject().put("payload", PAYLOAD).put("logs", true)).logs()).isTrue();
    assertThat(Submission.of(new JsonObject().put("payload", PAYLOAD).put("logs", false)).logs()).isFalse();
    assertThat(Submission.of(new JsonObject().put("payload", PAYLOAD)).logs()).isFalse();
    assertThat(Submission.of(new JsonObject().put("payload", PAYLOAD).putNull("logs")).logs()).isFalse();
  }

  @Test
  void askingForLogsTravelsToAnotherNode() {
    Submission read = Submission.of(new JsonObject().put("payload", PAYLOAD).put("logs", true));

    assertThat(read.toJson().getBoolean("logs")).isTrue();
    assertThat(Submission.of(read.toJson()).logs()).isTrue();
    assertThat(Submission.of(new JsonObject().put("payload", PAYLOAD)).toJson().containsKey("logs")).isFalse();
  }

  @Test
  void logsThatAreNotABooleanAreABadRequest() {
    for (Object notABoolean : new Object[] {"true", 1, new JsonObject()}) {
      assertThatThrownBy(() -> Submission.of(new JsonObject().put("payload", PAYLOAD).put("logs", notABoolean)))
        .as("logs = %s", notABoolean)
        .isInstanceOf(IllegalArgumentException.class).hasMessage("logs must be true or false");
    }
  }

  @Test
  void aBadSubmissionNamesWhatIsWrong() {
    assertThatThrownBy(() -> Submission.of(new JsonObject().put("payload", "not an object")))
      .isInstanceOf(IllegalArgumentException.class).hasMessage("payload must be a JSON object");
    assertThatThrownBy(() -> Submission.of(null))
      .isInstanceOf(IllegalArgumentException.class).hasMessage("the body must be a JSON object");
    assertThatThrownBy(() -> Submission.of("text"))
      .isInstanceOf(IllegalArgumentException.class).hasMessage("the body must be a JSON object");
  }
}
