package io.warmpool.javachild;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the worker keeps what it makes for its Java children (their runtime's jars, class-data
 * archives): {@code child.cacheDir}, else the user's cache directory as the XDG convention
 * places it, so that a rebuilt or restarted worker finds its archives again.
 */
public final class CacheDirectory {

  private CacheDirectory() {
  }

  /**
   * @param configured {@code child.cacheDir}; empty for the default
   * @param env        the worker's environment
   */
  public static Path resolve(String configured, Map<String, String> env) {
    if (!configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "warmpool");
    }
    String home = env.get("HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home, ".cache", "warmpool");
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "warmpool-" + System.getProperty("user.name"));
  }
}
