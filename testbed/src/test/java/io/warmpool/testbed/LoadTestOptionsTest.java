package io.warmpool.testbed;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The load test's command line, and the worker URL it is given. */
class LoadTestOptionsTest {

  @Test
  void defaultsStartOwnWorkerWithTheShippedFiles() {
    LoadTest.Options options = LoadTest.Options.parse(new String[] {"--scenario", "smoke"});

    assertThat(options.url()).isNull();
    assertThat(options.conf()).isEqualTo(Path.of("conf/worker.json"));
    assertThat(options.scenarios()).isEqualTo(Path.of("testbed/scenarios"));
    assertThat(options.reports()).isEqualTo(Path.of("testbed/reports"));
    assertThat(options.plots()).isTrue();
  }

  @Test
  void anEmptyUrlFromMakeMeansOwnWorker() {
    assertThat(LoadTest.Options.parse(new String[] {"--scenario", "smoke", "--url", ""}).url()).isNull();
  }

  @Test
  void badCommandLinesAreNamed() {
    assertThatThrownBy(() -> LoadTest.Options.parse(new String[0])).hasMessage("--scenario is needed");
    assertThatThrownBy(() -> LoadTest.Options.parse(new String[] {"--scenario"})).hasMessage("--scenario needs a value");
    assertThatThrownBy(() -> LoadTest.Options.parse(new String[] {"--scenario", "x", "--fast"})).hasMessage("unknown argument '--fast'");
  }

  @Test
  void aWorkerUrlIsSplitForTheWebSocketClient() {
    assertThat(WorkerTarget.parse("ws://127.0.0.1:8080/ws")).isEqualTo(new WorkerTarget("127.0.0.1", 8080, "/ws", false, null));
    assertThat(WorkerTarget.parse("ws://localhost:9090/ws?token=s3cret"))
      .isEqualTo(new WorkerTarget("localhost", 9090, "/ws?token=s3cret", false, "s3cret"));
    // PUT /load and /metrics need the token as a header: it is taken out of the URL, decoded
    assertThat(WorkerTarget.parse("ws://localhost:9090/ws?x=1&token=s%2F3+t").token()).isEqualTo("s/3 t");
    assertThat(WorkerTarget.parse("wss://worker.example")).isEqualTo(new WorkerTarget("worker.example", 443, "/ws", true, null));
    assertThatThrownBy(() -> WorkerTarget.parse("http://127.0.0.1:8080/ws")).hasMessageContaining("ws://127.0.0.1:8080/ws");
  }
}
