package io.warmpool.embed;

import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.warmpool.Await.await;
import static io.warmpool.Await.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/embedding.md as a reader copies it: its verticle is the example's own file, compiles on
 * the library alone and runs (a job in a warm process answers a request); the versions its
 * {@code pom.xml} names are the example's.
 */
@ExtendWith(VertxExtension.class)
class EmbeddingDocTest {

  private static final Path PAGE = Path.of("docs/embedding.md");
  private static final Path EXAMPLE = Path.of("examples/embedded");
  private static final Path VERTICLE = EXAMPLE.resolve("src/main/java/com/example/embedded/GreetingVerticle.java");

  @Test
  void thePagesVerticleIsTheExamplesFile() throws Exception {
    assertThat(block("A verticle that runs its work in a pool", "java")).isEqualTo(Files.readString(VERTICLE));
  }

  @Test
  void thePagesDependenciesAreTheExamplesVersions() throws Exception {
    String pom = Files.readString(EXAMPLE.resolve("pom.xml"));
    String dependencies = block("The dependency", "xml");
    for (String property : new String[] {"vertx.version", "warmpool.version", "logback.version"}) {
      Matcher value = Pattern.compile("<" + Pattern.quote(property) + ">([^<]+)</").matcher(pom);
      assertThat(value.find()).as("%s in the example's pom", property).isTrue();
      assertThat(dependencies).as("the page names %s", property).contains("<version>" + value.group(1) + "</version>");
    }
  }

  @Test
  void thePagesVerticleCompilesAndRunsAJob(Vertx vertx, @TempDir Path dir) throws Exception {
    Path classes = dir.resolve("classes");
    int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17",
      "-cp", System.getProperty("java.class.path"), "-d", classes.toString(), VERTICLE.toString());
    assertThat(status).as("javac's exit status").isZero();

    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      Class<?> type = loader.loadClass("com.example.embedded.GreetingVerticle");
      String id = await(vertx.deployVerticle((Deployable) type.getConstructor().newInstance()));
      JsonObject reply = await(vertx.eventBus().<JsonObject>request(type.getField("ADDRESS").get(null).toString(),
        new JsonObject().put("name", "Ada"))).body();
      assertThat(reply.getString("greeting")).isEqualTo("hello, Ada");
      await(vertx.undeploy(id));
    }
    waitFor("no child process left", () -> ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive));
  }

  /** The first fenced block of {@code language} under the heading {@code ## section}. */
  private static String block(String section, String language) throws Exception {
    String page = Files.readString(PAGE);
    int start = page.indexOf("\n## " + section + "\n");
    assertThat(start).as("section %s of %s", section, PAGE).isNotNegative();
    int end = page.indexOf("\n## ", start + 1);
    Matcher fence = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL)
      .matcher(page.substring(start, end < 0 ? page.length() : end));
    assertThat(fence.find()).as("a %s block in section %s", language, section).isTrue();
    return fence.group(1);
  }
}
