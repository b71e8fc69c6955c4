package io.warmpool.javachild;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.File;
import java.lang.management.ManagementFactory;
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

  /**
   * An option of the defaults that not every JVM has (17.0.15 has it; older updates may not)
   * and that only does something on Linux: dropped elsewhere, since a JVM refuses to start on an
   * option it does not know. Children run on the worker's own JVM, so asking this one is asking
   * theirs.
   */
  static final String TRIM_NATIVE_HEAP = "-XX:TrimNativeHeapInterval=";
  private static final boolean CAN_TRIM_NATIVE_HEAP = System.getProperty("os.name", "").equals("Linux")
    && jvmHasOption("TrimNativeHeapInterval");

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
    this.jvmOptions = runnableHere(jvmOptions);
    List<Path> entries = new ArrayList<>(runtimeJars);
    for (String entry : userEntries) {
      entries.add(Path.of(entry).toAbsolutePath().normalize());
    }
    this.classPath = List.copyOf(entries);
  }

  /**
   * The options a Java child gets from {@code jvmOptions} on this JVM: without those it would
   * refuse or that would be in the way. Also for anything started to stand beside a child.
   */
  public static List<String> runnableHere(List<String> jvmOptions) {
    return runnable(jvmOptions, CAN_TRIM_NATIVE_HEAP);
  }

  /** The same, on a JVM that can trim the native heap or not. */
  static List<String> runnable(List<String> jvmOptions, boolean canTrimNativeHeap) {
    return jvmOptions.stream()
      .filter(option -> !option.equals(SHARE_AUTO))
      .filter(option -> canTrimNativeHeap || !option.startsWith(TRIM_NATIVE_HEAP))
      .collect(Collectors.toList());
  }

  private static boolean jvmHasOption(String name) {
    try {
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name);
      return true;
    } catch (IllegalArgumentException | LinkageError notThere) {
      // an unknown option, a JVM that is not HotSpot, or a runtime without jdk.management
      return false;
    }
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
