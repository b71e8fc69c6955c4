package io.warmpool.javachild;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JavaChildCommandTest {

  private static final Path JAVA = Path.of("/jdk/bin/java");
  private static final List<Path> RUNTIME = List.of(Path.of("/cache/runtime/x/warmpool-child.jar"), Path.of("/cache/runtime/x/gson.jar"));

  @Test
  void theClassPathIsTheRuntimeThenTheUsersCodeAndNeverTheWorkersJar(@TempDir Path dir) throws Exception {
    Path jar = Files.createFile(dir.resolve("job.jar"));
    List<String> command = new JavaChildCommand(JAVA, List.of("-Xmx64m"), RUNTIME, List.of(jar.toString())).plain();

    String classPath = command.get(command.indexOf("-cp") + 1);
    assertThat(classPath.split(File.pathSeparator))
      .containsExactly("/cache/runtime/x/warmpool-child.jar", "/cache/runtime/x/gson.jar", jar.toString());
    assertThat(classPath).doesNotContain(System.getProperty("java.class.path").split(File.pathSeparator)[0]);
    assertThat(command).startsWith(JAVA.toString(), "-Xmx64m").endsWith(JavaChildCommand.CHILD_MAIN);
    assertThat(command).contains(JavaChildCommand.SLF4J_PROVIDER);
  }

  @Test
  void relativeEntriesAreMadeAbsolute() {
    List<String> command = new JavaChildCommand(JAVA, List.of(), RUNTIME, List.of("lib/job.jar")).plain();

    assertThat(command.get(command.indexOf("-cp") + 1)).endsWith(Path.of("lib/job.jar").toAbsolutePath().toString());
  }

  @Test
  void theArchiveFlagComesBeforeTheClassPath() {
    JavaChildCommand command = new JavaChildCommand(JAVA, List.of(), RUNTIME, List.of());

    List<String> archived = command.with(new ClassArchive(ClassArchive.Kind.APP_CDS, Path.of("/cache/a.jsa")));
    assertThat(archived.indexOf("-XX:SharedArchiveFile=/cache/a.jsa")).isBetween(1, archived.indexOf("-cp"));
    assertThat(command.with(new ClassArchive(ClassArchive.Kind.AOT_CACHE, Path.of("/cache/a.aot"))))
      .contains("-XX:AOTCache=/cache/a.aot");
  }

  @Test
  void anArchiveStopsAtTheFirstClassDirectory(@TempDir Path dir) throws Exception {
    Path first = Files.createFile(dir.resolve("a.jar"));
    Path classes = Files.createDirectory(dir.resolve("classes"));
    Path after = Files.createFile(dir.resolve("b.jar"));
    JavaChildCommand command = new JavaChildCommand(JAVA, List.of(), RUNTIME,
      List.of(first.toString(), classes.toString(), after.toString()));

    assertThat(command.archivable()).containsExactly(RUNTIME.get(0), RUNTIME.get(1), first);
    assertThat(command.fullyArchivable()).isFalse();
    assertThat(new JavaChildCommand(JAVA, List.of(), RUNTIME, List.of(first.toString())).fullyArchivable()).isTrue();
  }

  @Test
  void optionsThatDecideSharingLeaveItToThem() {
    assertThat(new JavaChildCommand(JAVA, List.of("-Xshare:off"), RUNTIME, List.of()).optionsDecideSharing()).isTrue();
    assertThat(new JavaChildCommand(JAVA, List.of("-XX:SharedArchiveFile=/mine.jsa"), RUNTIME, List.of()).optionsDecideSharing()).isTrue();
    assertThat(new JavaChildCommand(JAVA, List.of("-XX:AOTCache=/mine.aot"), RUNTIME, List.of()).optionsDecideSharing()).isTrue();
    assertThat(new JavaChildCommand(JAVA, List.of("-Xmx64m"), RUNTIME, List.of()).optionsDecideSharing()).isFalse();
  }

  @Test
  void theJvmsDefaultSharingOptionIsDroppedBecauseTheAotCacheRefusesIt() {
    // -Xshare:auto is what a JVM does anyway; with it, a JDK 25 child refuses -XX:AOTCache and does not start
    JavaChildCommand command = new JavaChildCommand(JAVA, List.of("-Xshare:auto", "-Xmx64m"), RUNTIME, List.of());

    assertThat(command.plain()).doesNotContain("-Xshare:auto").contains("-Xmx64m");
    assertThat(command.optionsDecideSharing()).isFalse();
  }

  @Test
  void theNativeHeapTrimIsKeptOnlyWhereTheJvmHasIt() {
    List<String> options = List.of("-Xmx64m", "-XX:TrimNativeHeapInterval=1000");

    assertThat(JavaChildCommand.runnable(options, true)).isEqualTo(options);
    // a JVM without the option refuses to start with it: no child would ever be ready
    assertThat(JavaChildCommand.runnable(options, false)).containsExactly("-Xmx64m");
  }
}
