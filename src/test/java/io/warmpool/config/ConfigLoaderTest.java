package io.warmpool.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

  private static final int AUTO_IDLE = Math.min(Runtime.getRuntime().availableProcessors(), 4);

  @Test
  void defaultsFollowTheSpec() {
    WorkerConfig c = ConfigLoader.defaults();

    assertThat(c.web()).isEqualTo(new WorkerConfig.Web("127.0.0.1", 8080, null, false, List.of(), List.of(), 65536, 10000, 1000,
      262144, 4194304, 67108864, 30000, 30000, 60000, 120000, 10000));
    assertThat(c.pool()).isEqualTo(new WorkerConfig.Pool(AUTO_IDLE, 16, 16, 2, 10000, 5000, 1, 0, 5000, 10000, "scaled", 8,
      2500, 15000, 500, 0, 0, 0, 0));
    assertThat(c.load()).isEqualTo(new WorkerConfig.Load("cpu", 500, 5, 0.75, 0.05, 16));
    assertThat(c.job()).isEqualTo(new WorkerConfig.Job(0, 300000, 3000, 10_000, 64, 1_000, 1024, false));
    assertThat(c.drain()).isEqualTo(new WorkerConfig.Drain(60000));
    assertThat(c.child()).isEqualTo(new WorkerConfig.Child(null, "io.warmpool.demo.DemoEntrypoint",
      ConfigLoader.DEFAULT_JVM_OPTIONS, new JsonObject(), Map.of(), List.of(), "", true));
    assertThat(c.cluster()).isEqualTo(new WorkerConfig.Cluster(false, "127.0.0.1", 5701, List.of("127.0.0.1"), "warmpool",
      null, null, null, null));
    assertThat(c.bus()).isEqualTo(new WorkerConfig.Bus("warmpool"));
  }

  @Test
  void nullFileAndNullJsonGiveTheDefaults() throws Exception {
    assertThat(ConfigLoader.load(null, Map.of())).isEqualTo(ConfigLoader.defaults());
    assertThat(ConfigLoader.fromJson(null, null)).isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void shippedConfFileIsExactlyTheDefaults() throws Exception {
    Path file = Path.of("conf/worker.json");

    assertThat(ConfigLoader.load(file, Map.of())).isEqualTo(ConfigLoader.defaults());
    // every key written out, at its default (not merely the same result)
    assertThat(new JsonObject(Files.readString(file))).isEqualTo(ConfigLoader.defaultsJson());
  }

  @Test
  void loadsAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("w.json");
    Files.writeString(file, "{\"web\":{\"port\":9000,\"token\":\"s3cret-t0ken-0123\"},"
      + "\"load\":{\"source\":\"jobs\",\"threshold\":0.5,\"maxJobs\":3},"
      + "\"child\":{\"command\":[\"python3\",\"child.py\"]},\"cluster\":{\"enabled\":true}}");

    WorkerConfig c = ConfigLoader.load(file, Map.of());

    assertThat(c.web()).isEqualTo(new WorkerConfig.Web("127.0.0.1", 9000, "s3cret-t0ken-0123", false, List.of(), List.of(), 65536, 10000, 1000,
      262144, 4194304, 67108864, 30000, 30000, 60000, 120000, 10000));
    assertThat(c.load()).isEqualTo(new WorkerConfig.Load("jobs", 500, 5, 0.5, 0.05, 3));
    assertThat(c.child().command()).containsExactly("python3", "child.py");
    assertThat(c.child().jvmOptions()).isEqualTo(ConfigLoader.DEFAULT_JVM_OPTIONS);
    assertThat(c.cluster().enabled()).isTrue();
  }

  @Test
  void aPartialSectionKeepsTheOtherDefaults() throws Exception {
    WorkerConfig c = ConfigLoader.fromJson(new JsonObject().put("pool", new JsonObject().put("maxIdle", 2)), Map.of());
    WorkerConfig d = ConfigLoader.defaults();

    assertThat(c.pool().maxIdle()).isEqualTo(2);
    assertThat(c.pool().maxProcesses()).isEqualTo(16);
    assertThat(c.pool().pingTimeoutMs()).isEqualTo(15000);
    assertThat(c).isEqualTo(new WorkerConfig(d.web(), new WorkerConfig.Pool(2, 16, 16, 2, 10000, 5000, 1, 0, 5000, 10000,
      "scaled", 8, 2500, 15000, 500, 0, 0, 0, 0), d.load(), d.job(), d.drain(), d.child(), d.cluster(), d.bus()));
  }

  @Test
  void derivedDefaultsFollowMaxProcesses() throws Exception {
    WorkerConfig c = ConfigLoader.fromJson(new JsonObject().put("pool", new JsonObject().put("maxProcesses", 1)), Map.of());

    // lowering maxProcesses alone must stay valid: maxIdle "auto" never exceeds it
    assertThat(c.pool().maxIdle()).isEqualTo(1);
    assertThat(c.pool().maxWaitingJobs()).isEqualTo(1);
    assertThat(c.load().maxJobs()).isEqualTo(1);

    WorkerConfig explicit = ConfigLoader.fromJson(new JsonObject()
      .put("pool", new JsonObject().put("maxIdle", "auto").put("maxProcesses", 40).put("maxWaitingJobs", "auto"))
      .put("load", new JsonObject().putNull("maxJobs")), Map.of());
    assertThat(explicit.pool().maxIdle()).isEqualTo(AUTO_IDLE);
    assertThat(explicit.pool().maxWaitingJobs()).isEqualTo(40);
    assertThat(explicit.load().maxJobs()).isEqualTo(40);
  }

  @Test
  void fileNotFound() {
    assertThatThrownBy(() -> ConfigLoader.load(Path.of("conf/nope.json"), Map.of()))
      .isInstanceOf(ConfigException.class)
      .hasMessage("conf/nope.json: file not found");
  }

  @Test
  void invalidJsonIsOneLineWithThePosition(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("x.json");
    Files.writeString(file, "{\n  \"web\": {\"token\": \"hunter2\",}\n}\n");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
      .isInstanceOf(ConfigException.class)
      .hasMessageStartingWith(file + ": not valid JSON (")
      .hasMessageContaining("line 2")
      .hasMessageNotContaining("\n")
      .hasMessageNotContaining("hunter2");
  }

  @Test
  void unquotedTextInBadJsonIsNotEchoed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("x.json");
    Files.writeString(file, "{\"web\": {\"token\": hunter2}}");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
      .hasMessageStartingWith(file + ": not valid JSON (")
      .hasMessageNotContaining("hunter2");
  }

  @Test
  void aKeyGivenTwiceIsRefusedByItsPath(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("x.json");
    Files.writeString(file, "{\n  \"web\": {\"port\": 9000,\n          \"port\": 9001}\n}\n");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
      .isInstanceOf(ConfigException.class)
      .hasMessage(file + ": duplicate key web.port at line 3, column 17: each key may be given once");

    Path sections = dir.resolve("y.json");
    Files.writeString(sections, "{\"pool\": {\"maxIdle\": 1}, \"pool\": {\"maxIdle\": 2}}");
    assertThatThrownBy(() -> ConfigLoader.load(sections, Map.of()))
      .hasMessageStartingWith(sections + ": duplicate key pool at line 1");

    // deeper down too, and in a variable's JSON
    Path nested = dir.resolve("z.json");
    Files.writeString(nested, "{\"child\": {\"env\": {\"MODE\": \"a\", \"MODE\": \"b\"}}}");
    assertThatThrownBy(() -> ConfigLoader.load(nested, Map.of()))
      .hasMessageStartingWith(nested + ": duplicate key child.env.MODE at line 1");
    assertThatThrownBy(() -> ConfigLoader.fromJson(null, Map.of("WARMPOOL_CHILD_ENV", "{\"MODE\":\"a\",\"MODE\":\"b\"}")))
      .hasMessageStartingWith("WARMPOOL_CHILD_ENV: duplicate key MODE at line 1");
  }

  @Test
  void anEmptyFileIsAnError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("x.json");
    Files.writeString(file, "\n");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).hasMessage(file + ": file is empty");
  }

  @Test
  void theFileMustHoldAnObject(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("x.json");
    Files.writeString(file, "[1, 2]");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
      .hasMessage(file + ": must be a JSON object with the sections web, pool, load, job, drain, child, cluster, bus");
  }

  @Test
  void unknownSectionNamesTheNearestOne(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("x.json");
    Files.writeString(file, "{\"pools\": {}}");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
      .hasMessage(file + ": unknown section \"pools\" (did you mean pool?); the sections are web, pool, load, job, drain, child, cluster, bus");
    assertThatThrownBy(() -> ConfigLoader.fromJson(new JsonObject().put("metrics", new JsonObject()), Map.of()))
      .hasMessage("unknown section \"metrics\"; the sections are web, pool, load, job, drain, child, cluster, bus");
  }

  @Test
  void unknownKeyNamesTheNearestOne() {
    assertThatThrownBy(() -> fromJson("pool", "maxIdel", 2))
      .hasMessage("unknown key pool.maxIdel (did you mean pool.maxIdle?)");
    assertThatThrownBy(() -> fromJson("pool", "maxidle", 2))
      .hasMessage("unknown key pool.maxidle (did you mean pool.maxIdle?)");
    // right key, wrong section
    assertThatThrownBy(() -> fromJson("web", "maxIdle", 2))
      .hasMessage("unknown key web.maxIdle (did you mean pool.maxIdle?)");
    assertThatThrownBy(() -> fromJson("web", "colour", "red"))
      .hasMessage("unknown key web.colour");
  }

  @Test
  void aSectionMustBeAnObject() {
    assertThatThrownBy(() -> ConfigLoader.fromJson(new JsonObject().put("pool", 3), Map.of()))
      .hasMessage("pool = 3: must be a JSON object of pool keys");
  }

  @Test
  void envOverridesEachType() throws Exception {
    WorkerConfig c = ConfigLoader.fromJson(null, Map.ofEntries(
      Map.entry("WARMPOOL_WEB_PORT", "9090"),
      Map.entry("WARMPOOL_WEB_HOST", "0.0.0.0"),
      Map.entry("WARMPOOL_WEB_ALLOWUNAUTHENTICATED", "true"),
      Map.entry("WARMPOOL_POOL_MAXIDLE", "2"),
      Map.entry("WARMPOOL_POOL_INITTIMEOUTMS", "20000"),
      Map.entry("WARMPOOL_LOAD_THRESHOLD", "0.9"),
      Map.entry("WARMPOOL_LOAD_SOURCE", "jobs"),
      Map.entry("WARMPOOL_CLUSTER_ENABLED", "TRUE"),
      Map.entry("WARMPOOL_CLUSTER_MEMBERS", "[\"127.0.0.1:5701\",\"127.0.0.1:5702\"]"),
      Map.entry("WARMPOOL_CHILD_COMMAND", "[\"python3\",\"child.py\"]"),
      Map.entry("WARMPOOL_CHILD_JVMOPTIONS", "[]")));

    assertThat(c.web().port()).isEqualTo(9090);
    assertThat(c.web().host()).isEqualTo("0.0.0.0");
    assertThat(c.web().allowUnauthenticated()).isTrue();
    assertThat(c.pool().maxIdle()).isEqualTo(2);
    assertThat(c.pool().initTimeoutMs()).isEqualTo(20000L);
    assertThat(c.load().threshold()).isEqualTo(0.9);
    assertThat(c.load().source()).isEqualTo("jobs");
    assertThat(c.cluster().enabled()).isTrue();
    assertThat(c.cluster().members()).containsExactly("127.0.0.1:5701", "127.0.0.1:5702");
    assertThat(c.child().command()).containsExactly("python3", "child.py");
    assertThat(c.child().jvmOptions()).isEmpty();
  }

  @Test
  void clusterKeysFromTheEnvironment() throws Exception {
    WorkerConfig c = ConfigLoader.fromJson(null, Map.of("WARMPOOL_CLUSTER_PORT", "0", "WARMPOOL_CLUSTER_NAME", "team-a",
      "WARMPOOL_CLUSTER_HOST", "10.0.0.5"));

    assertThat(c.cluster()).isEqualTo(new WorkerConfig.Cluster(false, "10.0.0.5", 0, List.of("127.0.0.1"), "team-a",
      null, null, null, null));
  }

  @Test
  void envNamesMatchIgnoringCase() throws Exception {
    WorkerConfig c = ConfigLoader.fromJson(null, Map.of("warmpool_Pool_maxIdle", "3", "WARMPOOL_LOAD_MAXJOBS", "auto"));

    assertThat(c.pool().maxIdle()).isEqualTo(3);
    assertThat(c.load().maxJobs()).isEqualTo(16);
  }

  @Test
  void envWinsOverTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("w.json");
    Files.writeString(file, "{\"web\":{\"port\":9000},\"pool\":{\"maxIdle\":1}}");

    WorkerConfig c = ConfigLoader.load(file, Map.of("WARMPOOL_WEB_PORT", "9090"));

    assertThat(c.web().port()).isEqualTo(9090);
    assertThat(c.pool().maxIdle()).isEqualTo(1);
  }

  @Test
  void envWithoutAKnownSectionIsIgnored() throws Exception {
    WorkerConfig c = ConfigLoader.fromJson(null, Map.of(
      "WARMPOOL_IPC_TOKEN", "child-secret",
      "WARMPOOL_IPC_PORT", "4000",
      "WARMPOOL_DEBUG", "1",
      "PATH", "/usr/bin",
      "WEB_PORT", "1"));

    assertThat(c).isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void envNamingNoKeyOfAKnownSectionIsAnError() {
    assertThatThrownBy(() -> ConfigLoader.fromJson(null, Map.of("WARMPOOL_POOL_MAXIDEL", "2")))
      .isInstanceOf(ConfigException.class)
      .hasMessage("WARMPOOL_POOL_MAXIDEL: unknown key pool.maxidel (did you mean WARMPOOL_POOL_MAXIDLE for pool.maxIdle?)");
    assertThatThrownBy(() -> ConfigLoader.fromJson(null, Map.of("WARMPOOL_POOL_MAX_IDLE", "2")))
      .hasMessage("WARMPOOL_POOL_MAX_IDLE: unknown key pool.max_idle (did you mean WARMPOOL_POOL_MAXIDLE for pool.maxIdle?)");
    assertThatThrownBy(() -> ConfigLoader.fromJson(null, Map.of("WARMPOOL_WEB_COLOUR", "red")))
      .hasMessage("WARMPOOL_WEB_COLOUR: unknown key web.colour");
  }

  @Test
  void badEnvValuesNameTheVariable() {
    assertThatThrownBy(() -> ConfigLoader.fromJson(null, Map.of("WARMPOOL_WEB_PORT", "http")))
      .hasMessage("web.port = \"http\" (from WARMPOOL_WEB_PORT): must be an integer from 0 to 65535");
    assertThatThrownBy(() -> ConfigLoader.fromJson(null, Map.of("WARMPOOL_POOL_MAXIDLE", "-1")))
      .hasMessage("pool.maxIdle = -1 (from WARMPOOL_POOL_MAXIDLE): must be an integer from 0 to pool.maxProcesses (16), or \"auto\"");
    assertThatThrownBy(() -> ConfigLoader.fromJson(null, Map.of("WARMPOOL_CLUSTER_ENABLED", "yes")))
      .hasMessage("cluster.enabled = \"yes\" (from WARMPOOL_CLUSTER_ENABLED): must be true or false");
    assertThatThrownBy(() -> ConfigLoader.fromJson(null, Map.of("WARMPOOL_CHILD_COMMAND", "python3 child.py")))
      .hasMessage("child.command = \"python3 child.py\" (from WARMPOOL_CHILD_COMMAND): "
        + "must be null (the Java child runtime) or a non-empty array of strings, the program first");
    assertThatThrownBy(() -> ConfigLoader.fromJson(null, Map.of("WARMPOOL_LOAD_WINDOW", "")))
      .hasMessage("load.window = \"\" (from WARMPOOL_LOAD_WINDOW): must be an integer >= 1");
  }

  @Test
  void aDefaultThatNoLongerFitsSaysItIsTheDefault() {
    assertThatThrownBy(() -> fromJson("load", "threshold", 0.03))
      .hasMessage("load.hysteresis = 0.05 (default): must be a number >= 0 and < load.threshold (0.03)");
  }

  @Test
  void summaryHasEveryKeyButNeverTheToken() throws Exception {
    WorkerConfig c = ConfigLoader.fromJson(new JsonObject().put("web", new JsonObject().put("token", "s3cret-t0ken-0123")), Map.of());

    JsonObject summary = ConfigLoader.summary(c);

    assertThat(summary.encode()).doesNotContain("s3cret-t0ken-0123");
    assertThat(summary.getJsonObject("web").getBoolean("tokenSet")).isTrue();
    assertThat(summary.getJsonObject("web").containsKey("token")).isFalse();
    assertThat(ConfigLoader.summary(ConfigLoader.defaults()).getJsonObject("web").getBoolean("tokenSet")).isFalse();

    // the same keys as the config file, token aside, with resolved values
    JsonObject expected = ConfigLoader.defaultsJson();
    expected.getJsonObject("web").remove("token");
    expected.getJsonObject("web").put("tokenSet", true);
    for (String password : List.of("tlsKeyStorePassword", "tlsTrustStorePassword")) {
      expected.getJsonObject("cluster").remove(password);
      expected.getJsonObject("cluster").put(password + "Set", false);
    }
    expected.getJsonObject("pool").put("maxIdle", AUTO_IDLE).put("maxWaitingJobs", 16);
    expected.getJsonObject("load").put("maxJobs", 16);
    assertThat(summary).isEqualTo(expected);
    assertThat(summary.getJsonObject("child").getJsonArray("jvmOptions"))
      .isEqualTo(new JsonArray(ConfigLoader.DEFAULT_JVM_OPTIONS));
    assertThat(summary.getJsonObject("child").containsKey("command")).isTrue();
  }

  @Test
  void childOptionsAndEnvComeFromTheFileOrTheEnvironment() throws Exception {
    WorkerConfig c = ConfigLoader.fromJson(new JsonObject().put("child", new JsonObject()
      .put("options", new JsonObject().put("model", "tiny").put("size", 3))
      .put("env", new JsonObject().put("B", "2").put("A", "1"))), Map.of());

    assertThat(c.child().options()).isEqualTo(new JsonObject().put("model", "tiny").put("size", 3));
    // the file's order, which is the order the child's environment is built in
    assertThat(c.child().env()).containsExactly(Map.entry("B", "2"), Map.entry("A", "1"));

    WorkerConfig fromEnv = ConfigLoader.fromJson(null, Map.of(
      "WARMPOOL_CHILD_OPTIONS", "{\"model\":\"big\"}", "WARMPOOL_CHILD_ENV", "{\"MODE\":\"fast\"}",
      "WARMPOOL_JOB_CANCELGRACEMS", "0"));
    assertThat(fromEnv.child().options()).isEqualTo(new JsonObject().put("model", "big"));
    assertThat(fromEnv.child().env()).isEqualTo(Map.of("MODE", "fast"));
    assertThat(fromEnv.job().cancelGraceMs()).isZero();
  }

  @Test
  void nobodyCanChangeTheOptionsOfAConfig() throws Exception {
    WorkerConfig c = ConfigLoader.fromJson(new JsonObject().put("child", new JsonObject()
      .put("options", new JsonObject().put("model", "tiny"))), Map.of());

    c.child().options().put("model", "changed");

    assertThat(c.child().options()).isEqualTo(new JsonObject().put("model", "tiny"));
  }

  @Test
  void theSummaryShowsTheChildsOptionsAndEnv() throws Exception {
    WorkerConfig c = ConfigLoader.fromJson(new JsonObject().put("child", new JsonObject()
      .put("options", new JsonObject().put("model", "tiny")).put("env", new JsonObject().put("MODE", "fast")))
      .put("job", new JsonObject().put("cancelGraceMs", 250)), Map.of());

    JsonObject summary = ConfigLoader.summary(c);

    assertThat(summary.getJsonObject("child").getJsonObject("options")).isEqualTo(new JsonObject().put("model", "tiny"));
    assertThat(summary.getJsonObject("child").getJsonObject("env")).isEqualTo(new JsonObject().put("MODE", "fast"));
    assertThat(summary.getJsonObject("job").getLong("cancelGraceMs")).isEqualTo(250L);
  }

  @Test
  void anInvalidTokenIsNotPrinted() {
    assertThatThrownBy(() -> fromJson("web", "token", "my secret"))
      .hasMessage("web.token = (hidden): must be null (no auth) or a string of at least 16 characters without spaces");
    assertThatThrownBy(() -> ConfigLoader.fromJson(null, Map.of("WARMPOOL_WEB_TOKEN", "")))
      .hasMessage("web.token = (hidden) (from WARMPOOL_WEB_TOKEN): must be null (no auth) or a string of at least 16 characters without spaces");
  }

  @Test
  void everyKeyIsDocumented() throws Exception {
    String doc = Files.readString(Path.of("docs/configuration.md"));
    JsonObject keys = ConfigLoader.defaultsJson();
    for (String section : keys.fieldNames()) {
      for (String key : keys.getJsonObject(section).fieldNames()) {
        assertThat(doc).as("docs/configuration.md").contains("`" + section + "." + key + "`");
      }
    }
  }

  static WorkerConfig fromJson(String section, String key, Object value) throws ConfigException {
    return ConfigLoader.fromJson(new JsonObject().put(section, new JsonObject().put(key, value)), Map.of());
  }
}
