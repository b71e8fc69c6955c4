package io.warmpool.child;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warmpool.demo.DemoEntrypoint;
import io.warmpool.protocol.ChildMessage.Done;
import io.warmpool.protocol.ChildMessage.Exiting;
import io.warmpool.protocol.ChildMessage.Failed;
import io.warmpool.protocol.ChildMessage.Hello;
import io.warmpool.protocol.ChildMessage.InitFailed;
import io.warmpool.protocol.ChildMessage.Output;
import io.warmpool.protocol.ChildMessage.Pong;
import io.warmpool.protocol.ChildMessage.Ready;
import io.warmpool.protocol.ChildMessage.Started;
import io.warmpool.protocol.ChildMessage;
import io.warmpool.protocol.WorkerMessage.Initialize;
import io.warmpool.protocol.WorkerMessage.Ping;
import io.warmpool.protocol.WorkerMessage.Shutdown;
import io.warmpool.protocol.WorkerMessage.Start;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives the real Java child process through docs/protocol.md. */
@Timeout(120)
class ChildMainTest {

  private static final String DEMO = DemoEntrypoint.class.getName();
  private static final String SCRIPTED = ScriptedEntrypoint.class.getName();

  @TempDir
  Path logs;

  private FakeWorker worker;

  @BeforeEach
  void startWorker() throws Exception {
    worker = new FakeWorker(logs);
  }

  @AfterEach
  void killEverything() throws Exception {
    worker.close();
  }

  @Test
  void helloCarriesTokenAndPidThenInitializeAnswersReady() throws Exception {
    Process child = worker.startJavaChild();
    worker.accept();

    Hello hello = worker.expect(Hello.class, FakeWorker.START_TIMEOUT);
    assertThat(hello.token()).isEqualTo(worker.token());
    assertThat(hello.pid()).isEqualTo(child.pid());
    assertThat(hello.runtime()).startsWith("java ");

    worker.send(new Initialize(DEMO, new JsonObject()));
    worker.expect(Ready.class, FakeWorker.START_TIMEOUT);
  }

  @Test
  void echoJobAnswersStartedThenDone() throws Exception {
    readyChild(DEMO);

    JsonObject value = new JsonObject().put("text", "héllo\nworld").put("list", new JsonArray().add(1).add(2.5));
    worker.startJob("job-1", new JsonObject().put("op", "echo").put("value", value));

    assertThat(worker.expect(Started.class).jobId()).isEqualTo("job-1");
    Done done = worker.expect(Done.class);
    assertThat(done.jobId()).isEqualTo("job-1");
    assertThat(done.result()).isEqualTo(new JsonObject().put("value", value));
  }

  @Test
  void jobIdIsEchoedWithItsJsonType() throws Exception {
    readyChild(DEMO);

    worker.send(new Start(42, new JsonObject().put("op", "echo")));

    assertThat(worker.expect(Started.class).jobId()).isEqualTo(42);
    assertThat(worker.expect(Done.class).jobId()).isEqualTo(42);
  }

  @Test
  void outputEventsComeBetweenStartedAndDone() throws Exception {
    readyChild(SCRIPTED);

    worker.startJob("job-out", new JsonObject().put("op", "output").put("count", 3));

    worker.expect(Started.class);
    for (int i = 0; i < 3; i++) {
      Output output = worker.expect(Output.class);
      assertThat(output.jobId()).isEqualTo("job-out");
      assertThat(output.data()).isEqualTo(new JsonObject().put("i", i).put("jobId", "job-out"));
    }
    assertThat(worker.expect(Done.class).result()).isEqualTo(new JsonArray().add(3));
  }

  @Test
  void oversizedOutputIsRefusedToTheJobAndNeverSent() throws Exception {
    readyChild(SCRIPTED);

    worker.startJob("big", new JsonObject().put("op", "outputTooLarge"));

    worker.expect(Started.class);
    assertThat(worker.expect(Done.class).result()).isEqualTo("refused");
  }

  @Test
  void throwingJobFailsAndTheChildStaysUsable() throws Exception {
    readyChild(SCRIPTED);

    worker.startJob("bad", new JsonObject().put("op", "throw"));
    worker.expect(Started.class);
    Failed failed = worker.expect(Failed.class);
    assertThat(failed.jobId()).isEqualTo("bad");
    assertThat(failed.error()).isEqualTo("java.lang.IllegalStateException: boom");

    worker.startJob("good", new JsonObject().put("op", "output").put("count", 0));
    worker.expect(Started.class);
    assertThat(worker.expect(Done.class).jobId()).isEqualTo("good");
  }

  @Test
  void resultThatIsNotJsonFailsTheJob() throws Exception {
    readyChild(SCRIPTED);

    worker.startJob("odd", new JsonObject().put("op", "notJson"));

    worker.expect(Started.class);
    assertThat(worker.expect(Failed.class).error())
      .startsWith("java.lang.IllegalArgumentException: the job's result cannot be sent");
  }

  @Test
  void unknownDemoOpFailsWithAClearMessage() throws Exception {
    readyChild(DEMO);

    worker.startJob("j", new JsonObject().put("op", "fly"));

    worker.expect(Started.class);
    assertThat(worker.expect(Failed.class).error())
      .isEqualTo("java.lang.IllegalArgumentException: unknown op 'fly': one of echo, sleep, burn, alloc, crash, hang, spam");
  }

  @Test
  void pingIsAnsweredWhileAJobRuns() throws Exception {
    readyChild(DEMO);

    worker.startJob("slow", new JsonObject().put("op", "sleep").put("ms", 3000));
    worker.expect(Started.class);
    worker.send(new Ping(7));

    // The pong must come before the job's done: the reader is not blocked by the job.
    Pong pong = worker.expect(Pong.class);
    assertThat(pong.seq()).isEqualTo(7);
    Done done = worker.expect(Done.class);
    assertThat(done.result()).isEqualTo(new JsonObject().put("sleptMs", 3000));
  }

  @Test
  void shutdownWhenIdleSendsExitingAndExitsZero() throws Exception {
    readyChild(DEMO);

    worker.send(new Shutdown("recycle"));

    assertThat(worker.expect(Exiting.class).reason()).isEqualTo("shutdown");
    assertThat(worker.awaitExit(FRAME_WAIT)).isEqualTo(ExitCode.OK);
  }

  @Test
  void shutdownInterruptsARunningJob() throws Exception {
    readyChild(DEMO);
    worker.startJob("long", new JsonObject().put("op", "sleep").put("ms", 600_000));
    worker.expect(Started.class);

    worker.send(new Shutdown("drain"));

    Failed failed = worker.expect(Failed.class);
    assertThat(failed.jobId()).isEqualTo("long");
    assertThat(failed.error()).startsWith("java.lang.InterruptedException");
    worker.expect(Exiting.class);
    assertThat(worker.awaitExit(FRAME_WAIT)).isEqualTo(ExitCode.OK);
  }

  @Test
  void jobThatIgnoresInterruptsKeepsTheProcessAliveAfterShutdown() throws Exception {
    readyChild(DEMO);
    worker.startJob("stuck", new JsonObject().put("op", "hang"));
    worker.expect(Started.class);

    worker.send(new Shutdown("drain"));

    // Intended: the worker kills it after pool.closeTimeoutMs. Meanwhile pings still work.
    assertThat(worker.nothingWithin(Duration.ofSeconds(1))).isTrue();
    assertThat(worker.process().isAlive()).isTrue();
    worker.send(new Ping(1));
    assertThat(worker.expect(Pong.class).seq()).isEqualTo(1);
  }

  @Test
  void spamOnStdoutAndStderrDoesNotCorruptTheChannel() throws Exception {
    readyChild(DEMO);

    worker.startJob("noisy", new JsonObject().put("op", "spam").put("lines", 5000));
    worker.expect(Started.class);
    assertThat(worker.expect(Done.class).result()).isEqualTo(new JsonObject().put("lines", 5000));

    worker.send(new Ping(2));
    worker.expect(Pong.class);
    worker.startJob("after", new JsonObject().put("op", "echo").put("value", "still fine"));
    worker.expect(Started.class);
    assertThat(((JsonObject) worker.expect(Done.class).result()).getString("value")).isEqualTo("still fine");

    worker.send(new Shutdown("test over"));
    worker.expect(Exiting.class);
    worker.awaitExit(FRAME_WAIT);
    try (Stream<String> stdout = Files.lines(worker.stdoutFile())) {
      assertThat(stdout.filter(line -> line.contains("\"jobId\":\"spam\"")).count()).isEqualTo(5000);
    }
    try (Stream<String> stderr = Files.lines(worker.stderrFile())) {
      assertThat(stderr.filter(line -> line.startsWith("spam ")).count()).isEqualTo(5000);
    }
  }

  @Test
  void closingTheChannelMakesAnIdleChildExit() throws Exception {
    readyChild(DEMO);

    worker.closeChannel();

    assertThat(worker.awaitExit(Duration.ofSeconds(5))).isEqualTo(ExitCode.CHANNEL_CLOSED);
  }

  @Test
  void closingTheChannelMakesAChildWithAHangingJobExit() throws Exception {
    readyChild(DEMO);
    worker.startJob("stuck", new JsonObject().put("op", "hang"));
    worker.expect(Started.class);

    worker.closeChannel();

    assertThat(worker.awaitExit(Duration.ofSeconds(5))).isEqualTo(ExitCode.CHANNEL_CLOSED);
  }

  @Test
  void childExitsWhenItsParentDiesEvenIfTheChannelStaysOpen() throws Exception {
    // sh stands in for the worker's process: it is the child's parent, while this test keeps
    // the channel open. Killing sh leaves only the watchdog to notice.
    List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "\"$@\" & wait", "sh"));
    command.addAll(FakeWorker.javaChildCommand(FakeWorker.CHILD_JVM_OPTIONS));
    Process shell = worker.start(command);
    worker.handshakeReady(DEMO);
    ProcessHandle child = ProcessHandle.of(worker.childPid()).orElseThrow();
    assertThat(child.parent().map(ProcessHandle::pid)).contains(shell.pid());

    shell.destroyForcibly();

    assertThat(child.onExit().completeOnTimeout(null, 10, java.util.concurrent.TimeUnit.SECONDS).join())
      .as("child exited after its parent died").isNotNull();
  }

  @Test
  void unknownEntrypointAnswersInitFailedAndExitsOne() throws Exception {
    worker.startJavaChild();

    ChildMessage answer = worker.handshake("com.example.NoSuchEntrypoint");

    assertThat(answer).isEqualTo(new InitFailed("java.lang.ClassNotFoundException: com.example.NoSuchEntrypoint"));
    assertThat(worker.awaitExit(FRAME_WAIT)).isEqualTo(ExitCode.INIT_FAILED);
  }

  @Test
  void classThatIsNotAnEntrypointAnswersInitFailed() throws Exception {
    worker.startJavaChild();

    ChildMessage answer = worker.handshake("java.lang.String");

    assertThat(answer).isInstanceOfSatisfying(InitFailed.class,
      failed -> assertThat(failed.error()).contains("does not implement io.warmpool.child.Entrypoint"));
  }

  @Test
  void failingPrewarmAnswersInitFailed() throws Exception {
    worker.startJavaChild();

    ChildMessage answer = worker.handshake(ScriptedEntrypoint.FailingPrewarm.class.getName());

    assertThat(answer).isEqualTo(new InitFailed("java.lang.IllegalStateException: model file missing"));
    assertThat(worker.awaitExit(FRAME_WAIT)).isEqualTo(ExitCode.INIT_FAILED);
  }

  @Test
  void pingIsAnsweredDuringPrewarmAndShutdownInterruptsIt() throws Exception {
    worker.startJavaChild();
    worker.accept();
    worker.expect(Hello.class);
    worker.send(new Initialize(ScriptedEntrypoint.SlowPrewarm.class.getName(), new JsonObject()));

    worker.send(new Ping(3));
    assertThat(worker.expect(Pong.class).seq()).isEqualTo(3);
    worker.send(new Shutdown("init timeout"));

    // No ready and no initFailed: the interrupted prewarm is not reported, only the exit.
    assertThat(worker.expect(Exiting.class).reason()).isEqualTo("shutdown");
    assertThat(worker.awaitExit(FRAME_WAIT)).isEqualTo(ExitCode.OK);
  }

  @Test
  void frameThatIsNotJsonIsAProtocolError() throws Exception {
    readyChild(DEMO);

    worker.sendRaw("this is not json");

    assertThat(worker.awaitExit(FRAME_WAIT)).isEqualTo(ExitCode.PROTOCOL_ERROR);
    assertThat(worker.stderr()).contains("protocol error");
  }

  @Test
  void aMessageOfAnUnknownTypeIsIgnored() throws Exception {
    readyChild(DEMO);

    // what a newer worker may send: neither an answer nor an exit follows
    worker.sendRaw("{\"type\":\"resize\",\"cores\":4}");
    worker.send(new Ping(9));

    assertThat(worker.expect(Pong.class).seq()).isEqualTo(9);
    worker.startJob("after", new JsonObject().put("op", "echo").put("value", 1));
    worker.expect(Started.class);
    assertThat(worker.expect(Done.class).jobId()).isEqualTo("after");
    assertThat(worker.stderr()).contains("ignoring messages of types this child does not know");
  }

  @Test
  void aKnownMessageWithAMissingFieldIsAProtocolError() throws Exception {
    readyChild(DEMO);

    worker.sendRaw("{\"type\":\"start\",\"jobId\":\"j\"}");

    assertThat(worker.expect(Exiting.class).reason()).isEqualTo("protocol-error: 'start' message without its field 'payload'");
    assertThat(worker.awaitExit(FRAME_WAIT)).isEqualTo(ExitCode.PROTOCOL_ERROR);
  }

  @Test
  void startWhileAJobRunsIsAProtocolError() throws Exception {
    readyChild(DEMO);
    worker.startJob("first", new JsonObject().put("op", "sleep").put("ms", 60_000));
    worker.expect(Started.class);

    worker.startJob("second", new JsonObject().put("op", "echo"));

    assertThat(worker.expect(Exiting.class).reason()).startsWith("protocol-error");
    assertThat(worker.awaitExit(FRAME_WAIT)).isEqualTo(ExitCode.PROTOCOL_ERROR);
  }

  @Test
  void crashOpExitsWithItsCode() throws Exception {
    readyChild(DEMO);

    worker.startJob("boom", new JsonObject().put("op", "crash").put("code", 42));

    worker.expect(Started.class);
    assertThat(worker.awaitExit(FRAME_WAIT)).isEqualTo(42);
  }

  @Test
  void trainingRunForAnAppCdsClassListCompletesOnItsOwn() throws Exception {
    List<String> command = new ArrayList<>(FakeWorker.javaChildCommand(FakeWorker.CHILD_JVM_OPTIONS));
    command.addAll(List.of("--train", DEMO, "--payload", "{\"op\":\"echo\"}"));

    worker.start(command);

    assertThat(worker.awaitExit(FakeWorker.START_TIMEOUT)).as("stderr: %s", worker.stderr()).isEqualTo(ExitCode.OK);
  }

  private static final Duration FRAME_WAIT = FakeWorker.FRAME_TIMEOUT;

  private void readyChild(String entrypoint) throws Exception {
    worker.startJavaChild();
    worker.handshakeReady(entrypoint);
  }
}
