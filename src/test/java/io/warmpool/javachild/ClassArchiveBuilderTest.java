package io.warmpool.javachild;

import io.warmpool.Await;
import io.warmpool.config.ConfigLoader;
import io.warmpool.pool.TestEntrypoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Class-data archives made by real JVMs, and used by them. */
class ClassArchiveBuilderTest {

  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
  private static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final ClassArchiveBuilder.Training DEMO =
    new ClassArchiveBuilder.Training(ConfigLoader.DEFAULT_ENTRYPOINT, "{}", "{\"op\":\"echo\"}");

  private static Map<String, String> environment() {
    return Map.of("PATH", System.getenv("PATH"));
  }

  private static JavaChildCommand command(Path java, Path cache, List<String> user) throws IOException {
    return new JavaChildCommand(java, ConfigLoader.DEFAULT_JVM_OPTIONS, RuntimeJars.extractInto(cache), user);
  }

  @Test
  void anArchiveIsMadeUsedByAChildAndFoundAgain(@TempDir Path cache) throws Exception {
    JavaChildCommand command = command(JAVA, cache, List.of());
    ClassArchiveBuilder builder = new ClassArchiveBuilder(command, ClassArchive.Kind.APP_CDS, DEMO, environment(), cache.resolve("archives"));
    assertThat(builder.cached()).isEmpty();

    ClassArchive archive = builder.build(TIMEOUT);

    assertThat(archive.file()).isRegularFile().hasExtension("jsa");
    assertThat(builder.cached()).contains(archive);
    assertThat(new ClassArchiveBuilder(command, ClassArchive.Kind.APP_CDS, DEMO, environment(), cache.resolve("archives")).cached())
      .as("a worker started later finds it").contains(archive);
    // -Xshare:on makes a JVM that cannot map the archive fail instead of running without it
    assertThat(runsWithArchive(command.with(archive), "-Xshare:on")).isZero();
  }

  @Test
  void onJdk25TheAotCacheIsMadeAndUsed(@TempDir Path cache) throws Exception {
    assumeTrue(Files.isExecutable(JAVA_25), "no JDK 25 on this machine");
    JavaChildCommand command = command(JAVA_25, cache, List.of());

    ClassArchive archive = new ClassArchiveBuilder(command, ClassArchive.Kind.AOT_CACHE, DEMO, environment(), cache.resolve("archives"))
      .build(TIMEOUT);

    assertThat(archive.file()).isRegularFile().hasExtension("aot");
    // AOTMode=on makes a JVM that cannot use the cache fail instead of running without it
    assertThat(runsWithArchive(command.with(archive), "-XX:AOTMode=on")).isZero();
  }

  @Test
  void aChangedJarMakesTheArchiveStaleAndItIsMadeAgain(@TempDir Path cache, @TempDir Path user) throws Exception {
    Path jar = jarWith(user.resolve("lib.jar"), "hello.txt");
    JavaChildCommand command = command(JAVA, cache, List.of(jar.toString()));
    ClassArchiveBuilder builder = new ClassArchiveBuilder(command, ClassArchive.Kind.APP_CDS, DEMO, environment(), cache.resolve("archives"));
    ClassArchive first = builder.build(TIMEOUT);

    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));

    assertThat(builder.cached()).isEmpty();
    assertThat(builder.build(TIMEOUT).file()).as("made again in place, not beside").isEqualTo(first.file());
    assertThat(builder.cached()).isPresent();
    assertThat(runsWithArchive(command.with(first), "-Xshare:on")).isZero();
  }

  @Test
  void aTrainingRunThatFailsSaysWhyAndLeavesNoArchive(@TempDir Path cache) throws Exception {
    JavaChildCommand command = command(JAVA, cache, List.of());
    ClassArchiveBuilder builder = new ClassArchiveBuilder(command, ClassArchive.Kind.APP_CDS,
      new ClassArchiveBuilder.Training("com.example.NoSuchEntrypoint", "{}", null), environment(), cache.resolve("archives"));

    assertThatThrownBy(() -> builder.build(TIMEOUT))
      .isInstanceOf(IOException.class)
      .hasMessageContaining("training run exited")
      .hasMessageContaining("com.example.NoSuchEntrypoint")
      .hasMessageContaining(builder.logFile().toString());
    assertThat(builder.cached()).isEmpty();
    try (var files = Files.list(cache.resolve("archives"))) {
      assertThat(files).as("only the log remains").containsExactly(builder.logFile());
    }
  }

  @Test
  void cancelStopsABuildUnderWay(@TempDir Path cache) throws Exception {
    JavaChildCommand command = command(JAVA, cache, List.of(testClasses()));
    ClassArchiveBuilder builder = new ClassArchiveBuilder(command, ClassArchive.Kind.APP_CDS,
      new ClassArchiveBuilder.Training(TestEntrypoints.EndlessPrewarm.class.getName(), "{}", null), environment(), cache.resolve("archives"));
    CompletableFuture<ClassArchive> build = CompletableFuture.supplyAsync(() -> {
      try {
        return builder.build(TIMEOUT);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    // the prewarm sleeps for minutes: wait until the training JVM runs, then cancel
    Await.waitFor("the training run started", () -> Files.exists(builder.logFile()));

    builder.cancel();

    // far sooner than the prewarm would end
    assertThatThrownBy(() -> build.get(30, TimeUnit.SECONDS)).hasMessageContaining("cancelled");
    assertThat(builder.cached()).isEmpty();
  }

  private static String testClasses() {
    return Path.of("target/test-classes").toAbsolutePath().toString();
  }

  /** Runs a child's training session with {@code command}'s JVM, options and archive; its exit status. */
  private static int runsWithArchive(List<String> command, String strict) throws Exception {
    List<String> jvm = new ArrayList<>(command.subList(0, command.size() - 1));
    jvm.add(1, strict);
    jvm.addAll(List.of(JavaChildCommand.CHILD_MAIN, "--train", ConfigLoader.DEFAULT_ENTRYPOINT));
    Process process = new ProcessBuilder(jvm).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return process.exitValue();
  }

  private static Path jarWith(Path jar, String entry) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new ZipEntry(entry));
      out.write("hello".getBytes());
      out.closeEntry();
    }
    return jar;
  }
}
