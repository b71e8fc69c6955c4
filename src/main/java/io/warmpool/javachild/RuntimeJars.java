package io.warmpool.javachild;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Java child runtime's own jars (the child API and runtime, its JSON library and the SLF4J
 * bridge), carried inside the worker as resources and written out once into the cache
 * directory: a child's class path must be files, and never the worker's own jar, whose tens of
 * megabytes a child would otherwise open and index at every start.
 *
 * <p>The folder is named by a digest of the jars' contents, so a newer worker never runs its
 * children on an older worker's runtime, and two workers sharing a cache share the files.
 */
public final class RuntimeJars {

  /** Where the build puts the jars among the worker's resources. */
  static final String RESOURCE_FOLDER = "child-runtime/";

  /** The jars, in class-path order; the build gives them these names. */
  static final List<String> NAMES = List.of("warmpool-child.jar", "gson.jar", "slf4j-api.jar", "slf4j-jdk14.jar");

  private RuntimeJars() {
  }

  /**
   * Writes the jars under {@code cacheDir/runtime/<digest>/} unless they are there already, and
   * returns their paths in class-path order. Blocking file I/O: call it off the event loop.
   */
  public static List<Path> extractInto(Path cacheDir) throws IOException {
    Map<String, byte[]> jars = read();
    Path folder = cacheDir.resolve("runtime").resolve(digest(jars));
    if (!Files.isDirectory(folder)) {
      writeAtomically(folder, jars);
    }
    List<Path> paths = new ArrayList<>();
    for (String name : NAMES) {
      paths.add(folder.resolve(name));
    }
    return paths;
  }

  private static Map<String, byte[]> read() throws IOException {
    Map<String, byte[]> jars = new LinkedHashMap<>();
    ClassLoader loader = RuntimeJars.class.getClassLoader();
    for (String name : NAMES) {
      try (InputStream in = loader.getResourceAsStream(RESOURCE_FOLDER + name)) {
        if (in == null) {
          throw new IOException("the worker was built without its child runtime (resource "
            + RESOURCE_FOLDER + name + " is missing); rebuild it with `make build`");
        }
        jars.put(name, in.readAllBytes());
      }
    }
    return jars;
  }

  /** The folder appears whole or not at all: written beside it, then renamed into place. */
  private static void writeAtomically(Path folder, Map<String, byte[]> jars) throws IOException {
    Files.createDirectories(folder.getParent());
    Path staging = folder.resolveSibling(".staging-" + UUID.randomUUID());
    Files.createDirectory(staging);
    try {
      for (Map.Entry<String, byte[]> jar : jars.entrySet()) {
        Files.write(staging.resolve(jar.getKey()), jar.getValue());
      }
      Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
      // another worker sharing the cache wrote the same jars first
      if (!Files.isDirectory(folder)) {
        throw e;
      }
    } finally {
      deleteTree(staging);
    }
  }

  private static String digest(Map<String, byte[]> jars) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> jar : jars.entrySet()) {
        sha.update(jar.getKey().getBytes(StandardCharsets.UTF_8));
        sha.update(jar.getValue());
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
