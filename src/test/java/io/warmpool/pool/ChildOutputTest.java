package io.warmpool.pool;

import io.vertx.core.json.JsonObject;
import io.warmpool.protocol.ChildMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static io.warmpool.pool.PoolFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a child prints reaches the worker's log in bounded pieces: a long line is cut while it
 * is read (never held whole: a child printing one 400 MB line made the worker read all of it
 * before cutting it), and a child's lines and records together are rate-limited, with what was
 * dropped counted and said when logging resumes. The children are real processes; the clock
 * of the rate limit is the test's.
 */
class ChildOutputTest {

  /** What a {@link ChildLog} wrote. */
  private record Written(Level level, String line) {
  }

  private final List<Written> written = new CopyOnWriteArrayList<>();
  private final AtomicLong nanos = new AtomicLong();
  private final List<Process> processes = new ArrayList<>();

  private final ChildLog.Sink sink = new ChildLog.Sink() {
    @Override
    public boolean enabled(Level level) {
      return level != Level.DEBUG && level != Level.TRACE;
    }

    @Override
    public void write(Level level, String line) {
      written.add(new Written(level, line));
    }
  };

  @AfterEach
  void killChildren() {
    processes.forEach(Process::destroyForcibly);
  }

  private Process python(String script) throws IOException {
    Process process = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true).start();
    processes.add(process);
    return process;
  }

  private static void tell(Process process) throws IOException {
    OutputStream stdin = process.getOutputStream();
    stdin.write('\n');
    stdin.flush();
  }

  private List<String> lines() {
    return written.stream().map(Written::line).toList();
  }

  @Test
  void aLongLineIsLoggedCutAsSoonAsItsFirstPartIsReadAndTheRestIsSkipped() throws Exception {
    // 400 MB on one line, which stays open until the test says so
    Process child = python("""
      import sys
      out = sys.stdout.buffer
      chunk = b"x" * (1 << 20)
      for _ in range(400):
          out.write(chunk)
      out.flush()
      sys.stdin.readline()
      out.write(b"\\nafter the long line\\n")
      out.flush()
      """);
    ChildOutputLog output = ChildOutputLog.start(child, new ChildLog(sink, nanos::get));
    String tag = "[pid " + child.pid() + "] ";

    waitFor("the long line logged cut before it ended", () -> !written.isEmpty());
    assertThat(lines().get(0)).isEqualTo(tag + "x".repeat(ChildOutputLog.MAX_LINE_BYTES) + "… (cut at 4096 bytes)");

    tell(child);
    waitFor("the child's next line", () -> written.size() == 2);
    assertThat(lines().get(1)).as("all 400 MB of the long line skipped").isEqualTo(tag + "after the long line");
    assertThat(child.waitFor()).isZero();
    assertThat(output.awaitEnd(Duration.ofSeconds(10))).as("the output thread ended with the stream").isTrue();
    assertThat(written).hasSize(2);
  }

  @Test
  void aFloodIsCutToTheRateLimitAndWhatWasDroppedIsSaidWhenLoggingResumes() throws Exception {
    int flood = 20_000;
    Process child = python("""
      import sys
      for i in range(%d):
          print("line %%d" %% i)
      sys.stdout.flush()
      sys.stdin.readline()
      print("resumed")
      """.formatted(flood));
    ChildLog log = new ChildLog(sink, nanos::get);
    ChildOutputLog output = ChildOutputLog.start(child, log);
    String tag = "[pid " + child.pid() + "] ";

    // the test's clock stands still: the burst is all there is
    waitFor("the flood read", () -> log.droppedLines() == flood - ChildLog.BURST_LINES);
    assertThat(written).hasSize(ChildLog.BURST_LINES);
    assertThat(lines().get(ChildLog.BURST_LINES - 1)).isEqualTo(tag + "line " + (ChildLog.BURST_LINES - 1));

    nanos.addAndGet(1_000_000_000);
    tell(child);
    waitFor("the child's next line", () -> written.size() == ChildLog.BURST_LINES + 2);
    Written dropped = written.get(ChildLog.BURST_LINES);
    assertThat(dropped.level()).isEqualTo(Level.WARN);
    assertThat(dropped.line()).startsWith(tag + (flood - ChildLog.BURST_LINES) + " lines (")
      .contains("characters) of this child dropped: over 100 lines or 65536 characters a second");
    assertThat(written.get(ChildLog.BURST_LINES + 1)).isEqualTo(new Written(Level.INFO, tag + "resumed"));
    assertThat(child.waitFor()).isZero();
    assertThat(output.awaitEnd(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void linesAndRecordsShareOneBudgetOfLinesAndCharacters() {
    ChildLog log = new ChildLog(sink, nanos::get);
    String text = "y".repeat(4000); // a line of 4008 characters with its tag "[pid 7] "
    // characters bind first: the burst of 512 KiB holds 130 of them
    for (int i = 0; i < 200; i++) {
      log.printed(7, text, false);
    }
    assertThat(written).hasSize(130);
    log.record(7, new ChildMessage.Log("error", text, new JsonObject(), null));
    assertThat(written).as("a record takes from the same budget").hasSize(130);
    log.record(7, new ChildMessage.Log("debug", "off", new JsonObject(), null));
    assertThat(log.droppedLines()).as("a level that is off costs nothing").isEqualTo(71);

    // a second later 64 KiB more: with the 3248 characters left, 17 lines of 4008
    nanos.addAndGet(1_000_000_000);
    for (int i = 0; i < 20; i++) {
      log.printed(7, text, false);
    }
    assertThat(written.get(130)).isEqualTo(new Written(Level.WARN,
      "[pid 7] 71 lines (284568 characters) of this child dropped: over 100 lines or 65536 characters a second"));
    assertThat(written).hasSize(130 + 1 + 17);

    log.ended(7);
    assertThat(written.get(written.size() - 1).line()).startsWith("[pid 7] 3 lines (12024 characters)");
  }

  @Test
  void controlCharactersCannotForgeALogLine() {
    ChildLog log = new ChildLog(sink, nanos::get);
    log.jobId("j\n1");
    log.printed(7, "ok\u001b[2J\u0000 \u202eevil\ttab", false);
    log.record(7, new ChildMessage.Log("warn", "a\rb", new JsonObject().put("k", "\n"), "x\ny"));

    assertThat(lines()).containsExactly(
      "[pid 7 job j\\u000a1] ok\\u001b[2J\\u0000 \\u202eevil\ttab",
      "[pid 7 job x\\u000ay] a\\u000db {\"k\":\"\\n\"}");
  }

  @Test
  void aCutLineEndsOnWholeCharacters() {
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // 3 bytes
    byte[] line = new byte[7];
    line[0] = 'a';
    System.arraycopy(euro, 0, line, 1, 3);
    System.arraycopy(euro, 0, line, 4, 3);
    assertThat(ChildOutputLog.completeUtf8(line, 7)).isEqualTo(7);
    assertThat(ChildOutputLog.completeUtf8(line, 6)).isEqualTo(4);
    assertThat(ChildOutputLog.completeUtf8(line, 5)).isEqualTo(4);
    assertThat(ChildOutputLog.completeUtf8(line, 4)).isEqualTo(4);
    assertThat(ChildOutputLog.completeUtf8(line, 1)).isEqualTo(1);
  }
}
