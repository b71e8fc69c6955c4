package io.warmpool.javachild;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CacheDirectoryTest {

  @Test
  void theConfiguredFolderWins() {
    assertThat(CacheDirectory.resolve("/srv/cache", Map.of("XDG_CACHE_HOME", "/x", "HOME", "/home/u")))
      .isEqualTo(Path.of("/srv/cache"));
  }

  @Test
  void otherwiseTheUsersCacheAsXdgPlacesIt() {
    assertThat(CacheDirectory.resolve("", Map.of("XDG_CACHE_HOME", "/x", "HOME", "/home/u"))).isEqualTo(Path.of("/x/warmpool"));
    assertThat(CacheDirectory.resolve("", Map.of("HOME", "/home/u"))).isEqualTo(Path.of("/home/u/.cache/warmpool"));
    // the XDG rule: a relative XDG_CACHE_HOME is invalid and ignored
    assertThat(CacheDirectory.resolve("", Map.of("XDG_CACHE_HOME", "rel", "HOME", "/home/u"))).isEqualTo(Path.of("/home/u/.cache/warmpool"));
  }

  @Test
  void withoutAHomeTheTemporaryFolder() {
    assertThat(CacheDirectory.resolve("", Map.of()))
      .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "warmpool-" + System.getProperty("user.name")));
  }
}
