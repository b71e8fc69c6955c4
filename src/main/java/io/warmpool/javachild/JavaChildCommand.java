package io.warmpool.javachild;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The command line of a Java child: the JVM, its options, the class-data archive when there is
 * one, the class path (the child runtime's jars, then the user's {@code child.classpath}) and
 * the runtime's main class.
 */
public final class JavaChildCommand {

  public static final String CHILD_MAIN = "io.warmpool.child.ChildMain";

  /**
   * SLF4J 2 takes this provider without scanning the class path: a job's library logs go
   * through {@code java.util.logging} to the channel, and a binding on the user's class path
   * neither takes over nor prints a warning about two bindings.
   */
  static final String SLF4J_PROVIDER = "-Dslf4j.provider=org.slf4j.jul.JULServiceProvider";

  /** The JVM's default: dropped, since the AOT cache refuses every {@code -Xshare} option. */
  private static final String SHARE_AUTO = "-Xshare:auto";

  private final Path java;
  private final List<String> jvmOptions;
  private final List<Path> classPath;

  /**
   * @param java        the JVM to run
   * @param jvmOptions  the configured {@code child.jvmOptions}
   * @param runtimeJars the child runtime's jars ({@link RuntimeJars})
   * @param userEntries the configured {@code child.classpath}, relative to the working directory
   */
  public JavaChildCommand(Path java, List<String> jvmOptions, List<Path> runtimeJars, List<String> userEntries) {
    this.java = java;
    this.jvmOptions = jvmOptions.stream().filter(option -> !option.equals(SHARE_AUTO)).collect(Collectors.toList());
    List<Path> entries = new ArrayList<>(runtimeJars);
    for (String entry : userEntries) {
      entries.add(Path.of(entry).toAbsolutePath().normalize());
    }
    this.classPath = List.copyOf(entries);
  }

  /** The command of a child that runs without an archive, or that has none yet. */
  public List<String> plain() {
    return command(List.of());
  }

  public List<String> with(ClassArchive archive) {
    return command(List.of(archive.flag()));
  }

  /**
   * Whether the configured options already decide class-data sharing ({@code -Xshare:off},
   * an archive of the user's own...): then the worker leaves it to them and builds none.
   */
  public boolean optionsDecideSharing() {
    return jvmOptions.stream().anyMatch(option -> option.startsWith("-Xshare:")
      || option.startsWith("-XX:SharedArchiveFile") || option.startsWith("-XX:AOTCache")
      || option.startsWith("-XX:AOTMode") || option.startsWith("-XX:ArchiveClassesAtExit"));
  }

  /**
   * The entries an archive can cover: the JVM refuses to archive from a non-empty class
   * directory and needs the archived entries to be the start of the class path, so an archive
   * stops at the first directory.
   */
  public List<Path> archivable() {
    List<Path> archivable = new ArrayList<>();
    for (Path entry : classPath) {
      if (Files.isDirectory(entry)) {
        break;
      }
      archivable.add(entry);
    }
    return archivable;
  }

  /** Whether an archive covers the whole class path (no class directory in it). */
  public boolean fullyArchivable() {
    return archivable().size() == classPath.size();
  }

  Path java() {
    return java;
  }

  List<String> jvmOptions() {
    return jvmOptions;
  }

  static String joined(List<Path> entries) {
    return entries.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  private List<String> command(List<String> archiveFlags) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(jvmOptions);
    command.add(SLF4J_PROVIDER);
    command.addAll(archiveFlags);
    command.add("-cp");
    command.add(joined(classPath));
    command.add(CHILD_MAIN);
    return command;
  }
}
