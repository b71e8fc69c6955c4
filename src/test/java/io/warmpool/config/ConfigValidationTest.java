package io.warmpool.config;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One case per kind of check: the value is JSON text put at {@code section.key} over the
 * defaults, and the message is what {@code main} prints, on one line.
 */
class ConfigValidationTest {

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
    web.port                   | -1          | web.port = -1: must be an integer from 0 to 65535
    web.port                   | 65536       | web.port = 65536: must be an integer from 0 to 65535
    web.port                   | "8080"      | web.port = "8080": must be an integer from 0 to 65535
    web.port                   | 80.5        | web.port = 80.5: must be an integer from 0 to 65535
    web.port                   | null        | web.port = null: must be an integer from 0 to 65535
    web.host                   | ""          | web.host = "": must be a host name or IP address (non-empty, no spaces)
    web.host                   | 127         | web.host = 127: must be a host name or IP address (non-empty, no spaces)
    web.allowUnauthenticated   | "yes"       | web.allowUnauthenticated = "yes": must be true or false
    web.allowedHosts           | "a.example" | web.allowedHosts = "a.example": must be an array of host names or addresses without a port ("worker.example.com", "10.0.0.5", "[fd00::5]"), or "*" for any
    web.allowedHosts           | ["a:8080"]  | web.allowedHosts = ["a:8080"]: must be an array of host names or addresses without a port ("worker.example.com", "10.0.0.5", "[fd00::5]"), or "*" for any
    web.allowedHosts           | ["::1"]     | web.allowedHosts = ["::1"]: must be an array of host names or addresses without a port ("worker.example.com", "10.0.0.5", "[fd00::5]"), or "*" for any
    web.allowedHosts           | [""]        | web.allowedHosts = [""]: must be an array of host names or addresses without a port ("worker.example.com", "10.0.0.5", "[fd00::5]"), or "*" for any
    web.maxFrameBytes          | 1023        | web.maxFrameBytes = 1023: must be an integer from 1024 to 16777216
    web.maxFrameBytes          | 16777217    | web.maxFrameBytes = 16777217: must be an integer from 1024 to 16777216
    pool.maxIdle               | -1          | pool.maxIdle = -1: must be an integer from 0 to pool.maxProcesses (16), or "auto"
    pool.maxIdle               | 17          | pool.maxIdle = 17: must be an integer from 0 to pool.maxProcesses (16), or "auto"
    pool.maxIdle               | "some"      | pool.maxIdle = "some": must be an integer from 0 to pool.maxProcesses (16), or "auto"
    pool.maxProcesses          | 0           | pool.maxProcesses = 0: must be an integer >= 1
    pool.maxProcesses          | 3000000000  | pool.maxProcesses = 3000000000: must be an integer >= 1
    pool.maxConcurrentInits    | 0           | pool.maxConcurrentInits = 0: must be an integer >= 1
    pool.initTimeoutMs         | 0           | pool.initTimeoutMs = 0: must be an integer >= 1
    pool.closeTimeoutMs        | 0           | pool.closeTimeoutMs = 0: must be an integer >= 1
    pool.maxJobsPerProcess     | 0           | pool.maxJobsPerProcess = 0: must be an integer >= 1
    pool.maxJobsPerProcessJitter | -1        | pool.maxJobsPerProcessJitter = -1: must be an integer >= 0
    pool.scaleDownDelayMs      | -5          | pool.scaleDownDelayMs = -5: must be an integer >= 0
    pool.scaleDownWindowMs     | -5          | pool.scaleDownWindowMs = -5: must be an integer >= 0
    pool.maxSpawnRate          | 0           | pool.maxSpawnRate = 0: must be an integer >= 1
    pool.pingIntervalMs        | 9           | pool.pingIntervalMs = 9: must be an integer >= 10
    pool.pingTimeoutMs         | 2500        | pool.pingTimeoutMs = 2500: must be an integer > pool.pingIntervalMs (2500)
    pool.memoryWarnMb          | -1          | pool.memoryWarnMb = -1: must be an integer >= 0
    pool.memoryLimitMb         | -1          | pool.memoryLimitMb = -1: must be an integer >= 0
    pool.memorySoftMb          | -1          | pool.memorySoftMb = -1: must be an integer >= 0
    pool.totalMemorySoftMb     | -1          | pool.totalMemorySoftMb = -1: must be an integer >= 0
    pool.totalMemoryHardMb     | "1g"        | pool.totalMemoryHardMb = "1g": must be an integer >= 0
    load.source                | "disk"      | load.source = "disk": must be one of "cpu", "jobs", "external"
    load.source                | "CPU"       | load.source = "CPU": must be one of "cpu", "jobs", "external"
    load.intervalMs            | 9           | load.intervalMs = 9: must be an integer >= 10
    load.window                | 0           | load.window = 0: must be an integer >= 1
    load.threshold             | 0           | load.threshold = 0: must be a number > 0 and <= 1
    load.threshold             | 1.5         | load.threshold = 1.5: must be a number > 0 and <= 1
    load.threshold             | "high"      | load.threshold = "high": must be a number > 0 and <= 1
    load.hysteresis            | -0.1        | load.hysteresis = -0.1: must be a number >= 0 and < load.threshold (0.75)
    load.hysteresis            | 0.75        | load.hysteresis = 0.75: must be a number >= 0 and < load.threshold (0.75)
    load.maxJobs               | 0           | load.maxJobs = 0: must be an integer >= 1, or "auto"
    job.timeoutMs              | -1          | job.timeoutMs = -1: must be an integer >= 0
    job.retainMs               | 0           | job.retainMs = 0: must be an integer >= 1
    job.cancelGraceMs          | -1          | job.cancelGraceMs = -1: must be an integer >= 0
    job.cancelGraceMs          | 2.5         | job.cancelGraceMs = 2.5: must be an integer >= 0
    drain.timeoutMs            | 0           | drain.timeoutMs = 0: must be an integer >= 1
    child.command              | []          | child.command = []: must be null (the Java child runtime) or a non-empty array of strings, the program first
    child.command              | [""]        | child.command = [""]: must be null (the Java child runtime) or a non-empty array of strings, the program first
    child.command              | ["node", 1] | child.command = ["node",1]: must be null (the Java child runtime) or a non-empty array of strings, the program first
    child.command              | "node a.js" | child.command = "node a.js": must be null (the Java child runtime) or a non-empty array of strings, the program first
    child.entrypoint           | "my/Entry"  | child.entrypoint = "my/Entry": must be a fully qualified Java class name
    child.entrypoint           | null        | child.entrypoint = null: must be a fully qualified Java class name
    child.jvmOptions           | ["Xmx1g"]   | child.jvmOptions = ["Xmx1g"]: must be an array of strings that each start with "-"
    child.jvmOptions           | null        | child.jvmOptions = null: must be an array of strings that each start with "-"
    child.options              | []          | child.options = []: must be a JSON object
    child.cacheDir             | 5           | child.cacheDir = 5: must be a string
    child.classArchive         | "yes"       | child.classArchive = "yes": must be true or false
    child.options              | null        | child.options = null: must be a JSON object
    child.options              | "a=1"       | child.options = "a=1": must be a JSON object
    child.env                  | {"A":1}     | child.env = {"A":1}: must be an object of string values whose names are not empty, contain no "=" and do not start with "WARMPOOL_IPC_"
    child.env                  | {"A":null}  | child.env = {"A":null}: must be an object of string values whose names are not empty, contain no "=" and do not start with "WARMPOOL_IPC_"
    child.env                  | ["A=1"]     | child.env = ["A=1"]: must be an object of string values whose names are not empty, contain no "=" and do not start with "WARMPOOL_IPC_"
    child.env                  | {"A=B":"x"} | child.env = {"A=B":"x"}: must be an object of string values whose names are not empty, contain no "=" and do not start with "WARMPOOL_IPC_"
    child.env                  | {"":"x"}    | child.env = {"":"x"}: must be an object of string values whose names are not empty, contain no "=" and do not start with "WARMPOOL_IPC_"
    child.env                  | {"WARMPOOL_IPC_TOKEN":"x"} | child.env = {"WARMPOOL_IPC_TOKEN":"x"}: must be an object of string values whose names are not empty, contain no "=" and do not start with "WARMPOOL_IPC_"
    cluster.enabled            | "true"      | cluster.enabled = "true": must be true or false
    cluster.enabled            | 1           | cluster.enabled = 1: must be true or false
    cluster.host               | ""          | cluster.host = "": must be a host name or IP address (non-empty, no spaces)
    cluster.port               | 65536       | cluster.port = 65536: must be an integer from 0 to 65535
    cluster.members            | []          | cluster.members = []: must be a non-empty array of "host" or "host:port" strings (no spaces)
    cluster.members            | ["a b"]     | cluster.members = ["a b"]: must be a non-empty array of "host" or "host:port" strings (no spaces)
    cluster.members            | "10.0.0.1"  | cluster.members = "10.0.0.1": must be a non-empty array of "host" or "host:port" strings (no spaces)
    cluster.name               | ""          | cluster.name = "": must be a non-empty name without spaces
    """)
  void rejects(String path, String valueJson, String message) {
    assertThatThrownBy(() -> load(path, valueJson))
      .isInstanceOf(ConfigException.class)
      .hasMessage(message);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
    web.port                   | 0
    web.port                   | 65535
    web.maxFrameBytes          | 1024
    web.maxFrameBytes          | 16777216
    web.token                  | "abc.DEF-123_456789"
    web.allowedHosts           | ["worker.example.com", "10.0.0.5", "[fd00::5]"]
    web.allowedHosts           | ["*"]
    web.allowUnauthenticated   | true
    pool.maxIdle               | 0
    pool.maxIdle               | 16
    pool.maxIdle               | 4.0
    pool.scaleDownDelayMs      | 0
    pool.pingTimeoutMs         | 2501
    pool.memoryLimitMb         | 0
    load.threshold             | 1
    load.threshold             | 0.06
    load.hysteresis            | 0
    load.source                | "external"
    job.timeoutMs              | 0
    job.cancelGraceMs          | 0
    child.options              | {"model": {"layers": [1, 2]}, "none": null}
    child.env                  | {"MODE": "fast", "PATH": "/opt/bin", "WARMPOOL_MODE": "x", "EMPTY": ""}
    child.command              | ["sh", "-c", ""]
    child.entrypoint           | "com.example.Outer$Inner"
    child.jvmOptions           | []
    cluster.port               | 0
    cluster.members            | ["10.0.0.1:5701", "node-b"]
    cluster.name               | "team-a"
    """)
  void accepts(String path, String valueJson) throws Exception {
    WorkerConfig config = load(path, valueJson);

    Object expected = Json.decodeValue(valueJson);
    String[] parts = path.split("\\.");
    if (path.equals("web.token")) {
      assertThat(config.web().token()).isEqualTo(expected);
      return;
    }
    Object actual = ConfigLoader.summary(config).getJsonObject(parts[0]).getValue(parts[1]);
    if (expected instanceof Number) {
      assertThat(((Number) actual).doubleValue()).isEqualTo(((Number) expected).doubleValue());
    } else {
      assertThat(actual).isEqualTo(expected);
    }
  }

  private static WorkerConfig load(String path, String valueJson) throws ConfigException {
    String[] parts = path.split("\\.");
    JsonObject section = new JsonObject().put(parts[1], Json.decodeValue(valueJson));
    return ConfigLoader.fromJson(new JsonObject().put(parts[0], section), Map.of());
  }
}
