package io.warmpool.javachild;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

  @Test
  void aNewFolderIsItsUsersAlone(@TempDir Path temp) throws Exception {
    Path dir = CacheDirectory.secure(temp.resolve("a/b/warmpool"));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    assertThat(CacheDirectory.secure(dir)).as("and is taken again").isEqualTo(dir);
  }

  @Test
  void aFolderOthersMayWriteIsRefused(@TempDir Path temp) throws Exception {
    Path dir = Files.createDirectory(temp.resolve("shared"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThatThrownBy(() -> CacheDirectory.secure(dir)).isInstanceOf(IOException.class)
      .hasMessageContaining(dir + " (child.cacheDir) may be written by other users (rwxrwxrwx)")
      .hasMessageContaining("chmod go-w " + dir);
  }

  /** The fallback without a HOME is a name in the shared temporary folder, which another user can take first. */
  @Test
  void aFolderAnotherUserMadeIsRefused(@TempDir Path temp) throws Exception {
    Path dir = Files.createDirectory(temp.resolve("warmpool-someone"));
    UserPrincipal nobody;
    try {
      nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
      Files.setOwner(dir, nobody);
    } catch (IOException e) {
      assumeTrue(false, "cannot give a folder to another user here (needs root): " + e);
      return;
    }

    assertThatThrownBy(() -> CacheDirectory.secure(dir)).isInstanceOf(IOException.class)
      .hasMessageContaining(dir + " (child.cacheDir) belongs to nobody");
  }
}
