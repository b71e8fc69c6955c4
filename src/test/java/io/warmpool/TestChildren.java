package io.warmpool;

import io.warmpool.config.ConfigLoader;
import io.warmpool.javachild.JavaChildren;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The Java children of the tests. Their class path holds the test entrypoints
 * ({@link #testClasses}); their class-data archive is made once, before the first test, rather
 * than by each short-lived worker in the background (a worker stops its archive build when it
 * closes, so test after test would start one and throw it away).
 */
public final class TestChildren implements LauncherSessionListener {

  /** Where the test classes are: a folder under the worker's build, a jar under the testbed's. */
  public static String testClasses() {
    try {
      return Path.of(TestChildren.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    try {
      JavaChildren children = JavaChildren.prepare(ConfigLoader.defaults().child(), Map.of("PATH", System.getenv("PATH")));
      if (children.archiveMissing()) {
        children.buildArchive(Duration.ofMinutes(2));
      }
    } catch (Exception e) {
      // the tests still run: their children start without the archive, only slower
      System.err.println("no class-data archive for the tests' Java children: " + e);
    }
  }
}
