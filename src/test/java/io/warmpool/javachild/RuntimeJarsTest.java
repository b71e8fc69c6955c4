package io.warmpool.javachild;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

class RuntimeJarsTest {

  @Test
  void theJarsAreWrittenOnceAndFoundAgain(@TempDir Path cache) throws Exception {
    List<Path> jars = RuntimeJars.extractInto(cache);

    assertThat(jars).extracting(jar -> jar.getFileName().toString()).containsExactlyElementsOf(RuntimeJars.NAMES);
    assertThat(jars).allSatisfy(jar -> assertThat(jar).isRegularFile().startsWith(cache.resolve("runtime")));
    try (JarFile child = new JarFile(jars.get(0).toFile())) {
      assertThat(child.getEntry("io/warmpool/child/ChildMain.class")).isNotNull();
      // the child runtime carries no Vert.x: a child is a few tens of megabytes, not an event loop
      assertThat(child.stream().map(e -> e.getName()).filter(n -> n.startsWith("io/vertx"))).isEmpty();
    }

    FileTime written = Files.getLastModifiedTime(jars.get(0));
    Files.setLastModifiedTime(jars.get(0), FileTime.fromMillis(written.toMillis() - 60_000));
    assertThat(RuntimeJars.extractInto(cache)).isEqualTo(jars);
    assertThat(Files.getLastModifiedTime(jars.get(0)).toMillis()).as("not written again").isEqualTo(written.toMillis() - 60_000);
    try (var entries = Files.list(cache.resolve("runtime"))) {
      assertThat(entries).as("no staging folder left behind").hasSize(1);
    }
  }
}
