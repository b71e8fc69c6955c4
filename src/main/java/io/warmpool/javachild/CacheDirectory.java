package io.warmpool.javachild;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * Where the worker keeps what it makes for its Java children (their runtime's jars, class-data
 * archives): {@code child.cacheDir}, else the user's cache directory as the XDG convention
 * places it, so that a rebuilt or restarted worker finds its archives again.
 *
 * <p>Children run the jars and archives kept there, so whoever can write the folder can run code
 * as the worker: it is made for its user alone, and one that another user owns or may write is
 * refused.
 */
public final class CacheDirectory {

  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

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

  /**
   * Makes {@code dir} if it is missing (readable and writable by its user only) and checks that
   * it belongs to the worker's user and that no one else may write it.
   *
   * @return {@code dir}
   * @throws IOException naming the folder and what to do, when it is not safe to run code from
   */
  public static Path secure(Path dir) throws IOException {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir.getParent());
      try {
        if (posix) {
          Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
          Files.createDirectory(dir);
        }
      } catch (FileAlreadyExistsException e) {
        // another worker made it at the same moment: it is checked like any other below
      }
    }
    if (!posix) {
      return dir;
    }
    PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class);
    String owner = attributes.owner().getName();
    String user = workerUser();
    if (!owner.equals(user)) {
      throw new IOException(dir + " (child.cacheDir) belongs to " + owner + ", not to the worker's user " + user
        + ": children run the jars kept there, so its owner could run code as the worker; use a folder of "
        + user + "'s own");
    }
    Set<PosixFilePermission> permissions = attributes.permissions();
    if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException(dir + " (child.cacheDir) may be written by other users ("
        + PosixFilePermissions.toString(permissions) + "): children run the jars kept there, so they could run code "
        + "as the worker; chmod go-w " + dir + ", or use another folder");
    }
    return dir;
  }

  /** The user this process runs as: the owner of its own {@code /proc} entry, which a container's unnamed user has too. */
  private static String workerUser() throws IOException {
    Path self = Path.of("/proc/self");
    return Files.exists(self) ? Files.getOwner(self).getName() : System.getProperty("user.name");
  }
}
