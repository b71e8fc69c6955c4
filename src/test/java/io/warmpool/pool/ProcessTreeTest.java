package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.warmpool.pool.PoolFixture.pairs;
import static io.warmpool.pool.PoolFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every way a child ends (its job's timeout, a cancel after the grace, a memory kill, its
 * reaping after its last job, the pool stopping) ends whatever its job started too: an ordinary
 * subprocess, one in a session of its own, and a double-forked daemon re-parented at once
 * (src/test/resources/children/tree_child.py). Memory limits count them all. Each test runs
 * with the children in cgroups of their own ({@code cgroup.kill}), where the worker may make
 * them, and without (process group, session and environment).
 */
@ExtendWith(VertxExtension.class)
class ProcessTreeTest {

  private static boolean cgroupsHere;

  private PoolFixture fixture;

  @BeforeAll
  static void findCgroups() {
    ChildCgroups cgroups = ChildCgroups.open();
    cgroupsHere = cgroups != null;
    if (cgroups != null) {
      cgroups.close();
    }
  }

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  private void start(Vertx vertx, boolean cgroups, JsonObject overrides) throws Exception {
    assumeTrue(!cgroups || cgroupsHere, "the worker may not make cgroups here");
    Path script = Path.of("src/test/resources/children/tree_child.py").toAbsolutePath();
    fixture = PoolFixture.start(vertx, overrides
      .put("child", new JsonObject().put("command", new JsonArray().add("python3").add(script.toString()))), cgroups);
  }

  /**
   * Submits a job that starts its three processes; returns the child's pid and theirs. They run
   * (in the child's cgroup with {@code cgroups}) as long as the job does: checked unless it completes.
   */
  private List<Long> fork(JsonObject request, boolean cgroups) throws Exception {
    JsonObject reply = fixture.submitRequest(request);
    assertThat(reply.getString("type")).as("reply %s", reply).isEqualTo("accepted");
    String jobId = reply.getString("jobId");
    List<Long> pids = new ArrayList<>();
    pids.add(fixture.awaitEvent(jobId, "started").getLong("pid"));
    JsonObject started = fixture.awaitEvent(jobId, "output").getJsonObject("data").getJsonObject("pids");
    for (String name : List.of("plain", "session", "daemon")) {
      pids.add(started.getLong(name));
    }
    boolean running = !"done".equals(request.getJsonObject("payload").getString("then"));
    for (long pid : running ? pids.subList(1, pids.size()) : List.<Long>of()) {
      assertThat(alive(pid)).as("process %d alive", pid).isTrue();
      if (cgroups) {
        assertThat(Files.readString(Path.of("/proc/" + pid + "/cgroup"))).as("cgroup of %d", pid).contains("/warmpool-");
      }
    }
    return pids;
  }

  private static JsonObject job(Object... keyValues) {
    return new JsonObject().put("payload", pairs("op", "fork").mergeIn(pairs(keyValues)));
  }

  /** Whether the process runs: neither gone nor a zombie (killed, not yet collected by its new parent). */
  private static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException gone) {
      return false;
    }
  }

  private static void waitForAllGone(List<Long> pids) throws Exception {
    waitFor("processes " + pids + " gone", () -> pids.stream().noneMatch(ProcessTreeTest::alive));
  }

  private static boolean outputThreadOf(long pid) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("warmpool-child-output-" + pid));
  }

  @ParameterizedTest(name = "cgroups {0}")
  @ValueSource(booleans = {true, false})
  void aJobTimeoutEndsEveryProcessTheJobStarted(boolean cgroups, Vertx vertx) throws Exception {
    start(vertx, cgroups, new JsonObject().put("pool", pairs("maxIdle", 1)));

    List<Long> pids = fork(job("then", "hang").put("jobId", "slow").put("timeoutMs", 3000), cgroups);

    assertThat(fixture.awaitTerminal("slow").getString("reason")).isEqualTo("timeout");
    waitForAllGone(pids);
  }

  @ParameterizedTest(name = "cgroups {0}")
  @ValueSource(booleans = {true, false})
  void aCancelEndsThemOnceTheGraceIsOver(boolean cgroups, Vertx vertx) throws Exception {
    start(vertx, cgroups, new JsonObject().put("pool", pairs("maxIdle", 1)).put("job", pairs("cancelGraceMs", 200)));

    JsonObject request = job("then", "hang").put("jobId", "to-cancel");
    List<Long> pids = fork(request, cgroups);
    fixture.cancel("to-cancel");

    // the child ignores cancel and exits on shutdown, leaving its processes behind: the reap ends them
    assertThat(fixture.awaitTerminal("to-cancel").getString("event")).isEqualTo("cancelled");
    waitForAllGone(pids);
  }

  @ParameterizedTest(name = "cgroups {0}")
  @ValueSource(booleans = {true, false})
  void theMemoryLimitCountsTheWholeTreeAndItsKillEndsIt(boolean cgroups, Vertx vertx) throws Exception {
    start(vertx, cgroups, new JsonObject().put("pool", pairs("maxIdle", 1, "memoryLimitMb", 100, "pingIntervalMs", 200)));

    // the child itself stays small: the 150 MB are its subprocess's
    List<Long> pids = fork(job("then", "hang", "allocMb", 150).put("jobId", "hog"), cgroups);

    JsonObject terminal = fixture.awaitTerminal("hog");
    assertThat(terminal.getString("reason")).as("%s", terminal).isEqualTo("memory-limit");
    assertThat(terminal.getString("detail")).contains("over pool.memoryLimitMb (100 MB)");
    waitForAllGone(pids);
  }

  @ParameterizedTest(name = "cgroups {0}")
  @ValueSource(booleans = {true, false})
  void aChildReapedAfterItsLastJobTakesItsProcessesAndItsOutputThreadWithIt(boolean cgroups, Vertx vertx) throws Exception {
    start(vertx, cgroups, new JsonObject().put("pool", pairs("maxIdle", 1, "maxJobsPerProcess", 1)));

    List<Long> pids = fork(job("then", "done").put("jobId", "last"), cgroups);

    assertThat(fixture.awaitTerminal("last").getString("event")).isEqualTo("completed");
    // two of its processes hold its stdout: its output thread ends only once they are gone
    waitForAllGone(pids);
    waitFor("the output thread of child " + pids.get(0) + " ended", () -> !outputThreadOf(pids.get(0)));
  }

  @ParameterizedTest(name = "cgroups {0}")
  @ValueSource(booleans = {true, false})
  void stoppingThePoolEndsEveryTree(boolean cgroups, Vertx vertx) throws Exception {
    start(vertx, cgroups, new JsonObject().put("pool", pairs("maxIdle", 2)));
    List<Long> pids = new ArrayList<>(fork(job("then", "hang"), cgroups));
    pids.addAll(fork(job("then", "hang"), cgroups));

    fixture.close();
    fixture = null;

    waitForAllGone(pids);
    assertThat(pids.stream().filter(ProcessTreeTest::outputThreadOf)).as("output threads left").isEmpty();
  }
}
