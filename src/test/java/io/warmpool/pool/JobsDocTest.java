package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.warmpool.pool.PoolFixture.pairs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first jobs of {@code docs/jobs.md}, taken from the page as a reader would copy them (the
 * code and the worker configuration of each language), run in warm children of a real pool:
 * the page cannot drift from what works. The Java one is compiled outside the worker's class
 * path and reaches the child through {@code child.classpath} alone.
 */
@ExtendWith(VertxExtension.class)
class JobsDocTest {

  private static final Path PAGE = Path.of("docs/jobs.md");
  private static final JsonObject PAYLOAD = new JsonObject().put("name", "Ada");
  private static final String EXPECTED = "bonjour, Ada";

  private PoolFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void thePythonJobRuns(Vertx vertx, @TempDir Path dir) throws Exception {
    Path job = Files.writeString(dir.resolve("job.py"), block("Python", "python"));
    JsonObject config = new JsonObject(block("Python", "json"));
    JsonObject child = config.getJsonObject("child");
    // the SDK from the repository instead of an installed copy: the worker passes no PYTHONPATH of its own
    child.put("command", new JsonArray().add("python3").add(job.toString()))
      .put("env", new JsonObject().put("PYTHONPATH", Path.of("children/python").toAbsolutePath().toString()));

    assertThat(runOne(vertx, config)).isEqualTo(EXPECTED);
  }

  @Test
  void theNodeJobRuns(Vertx vertx, @TempDir Path dir) throws Exception {
    Path job = Files.writeString(dir.resolve("job.mjs"), block("Node", "js"));
    // what `npm install <warmpool>/children/node` makes: the package under node_modules
    Files.createDirectories(dir.resolve("node_modules"));
    Files.createSymbolicLink(dir.resolve("node_modules/warmpool-child"), Path.of("children/node").toAbsolutePath());
    JsonObject config = new JsonObject(block("Node", "json"));
    config.getJsonObject("child").put("command", new JsonArray().add("node").add(job.toString()));

    assertThat(runOne(vertx, config)).isEqualTo(EXPECTED);
  }

  @Test
  void theJavaJobRuns(Vertx vertx, @TempDir Path dir) throws Exception {
    Path source = Files.writeString(dir.resolve("Greeter.java"), block("Java", "java"));
    // the page's two commands, run from `dir` as the reader would, with the SDK's jars of this build
    String[] commands = block("Java", "sh").replace("<warmpool>", Path.of("").toAbsolutePath().toString()).split("\n");
    Path classes = dir.resolve("classes");
    int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17",
      "-cp", sdkClassPath(commands[0]), "-d", classes.toString(), source.toString());
    assertThat(status).as("javac's exit status").isZero();
    assertThat(commands[1]).isEqualTo("jar cf greeter.jar -C classes .");
    int jarStatus = java.util.spi.ToolProvider.findFirst("jar").orElseThrow().run(System.out, System.err,
      "cf", dir.resolve("greeter.jar").toString(), "-C", classes.toString(), ".");
    assertThat(jarStatus).as("jar's exit status").isZero();
    assertThat(getClass().getClassLoader().getResource("com/example/Greeter.class"))
      .as("the user's class is not on the worker's class path: child.classpath brings it").isNull();
    JsonObject config = new JsonObject(block("Java", "json"));
    JsonArray classpath = config.getJsonObject("child").getJsonArray("classpath");
    assertThat(classpath).containsExactly("greeter.jar");
    config.getJsonObject("child").put("classpath", new JsonArray().add(dir.resolve("greeter.jar").toString()));

    assertThat(runOne(vertx, config)).isEqualTo(EXPECTED);
  }

  /** The class path of the page's javac command: the jars of its wildcard folder, which must exist. */
  private static String sdkClassPath(String javac) throws Exception {
    Matcher wildcard = Pattern.compile("-cp '([^']+)/\\*'").matcher(javac);
    assertThat(wildcard.find()).as("a -cp '<folder>/*' in %s", javac).isTrue();
    try (var jars = Files.list(Path.of(wildcard.group(1)))) {
      return jars.map(Path::toString).filter(jar -> jar.endsWith(".jar")).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }
  }

  /** Runs the documented payload on a pool of the documented configuration; the result's text. */
  private String runOne(Vertx vertx, JsonObject config) throws Exception {
    config.remove("load"); // the test gives the load itself
    config.put("pool", pairs("maxIdle", 1));
    fixture = PoolFixture.start(vertx, config);
    JsonObject done = fixture.awaitTerminal(fixture.run(PAYLOAD));
    assertThat(done.getString("event")).as("terminal %s", done).isEqualTo("completed");
    return done.getJsonObject("result").getString("text");
  }

  /** The first fenced block of {@code language} under the heading {@code ### section}. */
  private static String block(String section, String language) throws Exception {
    String page = Files.readString(PAGE);
    int start = page.indexOf("\n### " + section + "\n");
    assertThat(start).as("section %s of %s", section, PAGE).isNotNegative();
    int end = page.indexOf("\n##", start + 1);
    Matcher fence = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL)
      .matcher(page.substring(start, end < 0 ? page.length() : end));
    assertThat(fence.find()).as("a %s block in section %s", language, section).isTrue();
    return fence.group(1);
  }
}
