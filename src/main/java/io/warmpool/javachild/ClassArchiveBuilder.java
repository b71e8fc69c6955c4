package io.warmpool.javachild;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Builds the class-data archive of one Java child configuration, and finds it again: a training
 * run of the child runtime (its prewarm, never a user's job) records the classes, then the JVM
 * writes them into an archive under the cache directory.
 *
 * <p>An archive is named by what it is for (the JVM, its options, the archived class path and
 * the entrypoint), and a stamp beside it records the state it was made from (each jar's size and
 * time, the JDK's module image, the prewarm options): when a jar changes, the stamp no longer
 * matches and the archive is made again in place. A stale archive is harmless anyway: the JVM
 * checks the jars and runs without an archive that does not fit them.
 *
 * <p>Blocking throughout (processes, files): call it off the event loop.
 */
public final class ClassArchiveBuilder {

  private static final Pattern STACK_FRAME = Pattern.compile("^(\\[[^]]*\\])?\\s+(at |\\.\\.\\. \\d+ more)");

  private final JavaChildCommand command;
  private final ClassArchive.Kind kind;
  private final Training training;
  private final Map<String, String> environment;
  private final Path base;
  /** Guarded by this: the process of the step under way, which cancel() kills. */
  private Process running;
  private volatile boolean cancelled;

  /**
   * What the training run does: initialise {@code entrypoint} with {@code options} (JSON text),
   * then run one job with {@code payload} (JSON text) when that is not {@code null}.
   */
  public record Training(String entrypoint, String options, String payload) {
  }

  /**
   * @param archives    the folder of archives (in the cache directory)
   * @param environment the environment the training child runs in: a child's, without a channel
   */
  public ClassArchiveBuilder(JavaChildCommand command, ClassArchive.Kind kind, Training training,
                             Map<String, String> environment, Path archives) {
    this.command = command;
    this.kind = kind;
    this.training = training;
    this.environment = Map.copyOf(environment);
    this.base = archives.resolve(identity());
  }

  /** The archive made earlier for exactly this configuration and these jars, if there is one. */
  public Optional<ClassArchive> cached() throws IOException {
    Path file = archiveFile();
    Path stamp = stampFile();
    if (Files.isRegularFile(file) && Files.isRegularFile(stamp) && Files.readString(stamp).equals(stamp())) {
      return Optional.of(new ClassArchive(kind, file));
    }
    return Optional.empty();
  }

  /**
   * Runs the training and writes the archive, replacing an older one atomically, so children
   * starting meanwhile map either the old file or the new one, never half of one.
   *
   * @throws IOException when a step fails or the build was {@link #cancel cancelled}; the message
   *                     names the step and ends with the last lines of its output, kept in
   *                     {@link #logFile()}
   */
  public ClassArchive build(Duration timeout) throws IOException, TimeoutException, InterruptedException {
    Files.createDirectories(base.getParent());
    Files.deleteIfExists(logFile());
    String scratch = ".tmp-" + UUID.randomUUID();
    Path archive = sibling(scratch + kind.suffix());
    Path classList = sibling(scratch + ".classlist");
    String stamp = stamp();
    try {
      if (kind == ClassArchive.Kind.AOT_CACHE) {
        run("training run", jvm(List.of("-XX:AOTCacheOutput=" + archive), trainingProgram()), timeout);
      } else {
        run("training run", jvm(List.of("-Xshare:off", "-XX:DumpLoadedClassList=" + classList), trainingProgram()), timeout);
        run("archive dump", jvm(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList,
          "-XX:SharedArchiveFile=" + archive), List.of()), timeout);
      }
      if (!Files.isRegularFile(archive)) {
        throw new IOException("the JVM wrote no archive; see " + logFile());
      }
      Files.move(archive, archiveFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Path stampScratch = sibling(scratch + ".stamp");
      Files.writeString(stampScratch, stamp);
      Files.move(stampScratch, stampFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new ClassArchive(kind, archiveFile());
    } finally {
      Files.deleteIfExists(archive);
      Files.deleteIfExists(classList);
      // the AOT training leaves its configuration file beside the cache when it fails
      Files.deleteIfExists(sibling(scratch + kind.suffix() + ".config"));
    }
  }

  /** Stops a build under way (the worker is closing): its process is killed, and build() fails. */
  public synchronized void cancel() {
    cancelled = true;
    if (running != null) {
      running.destroyForcibly();
    }
  }

  /** The output of the last build's JVMs, for a user who wants to know why one failed. */
  public Path logFile() {
    return sibling(base.getFileName() + ".log");
  }

  private Path archiveFile() {
    return sibling(base.getFileName() + kind.suffix());
  }

  private Path stampFile() {
    return sibling(base.getFileName() + ".stamp");
  }

  private Path sibling(String name) {
    return base.resolveSibling(name);
  }

  /** The child runtime playing one scripted session against a stand-in for the worker. */
  private List<String> trainingProgram() {
    List<String> program = new ArrayList<>(List.of(JavaChildCommand.CHILD_MAIN, "--train", training.entrypoint(),
      "--options", training.options()));
    if (training.payload() != null) {
      program.add("--payload");
      program.add(training.payload());
    }
    return program;
  }

  /** A JVM as the children run it, on the archived part of their class path. */
  private List<String> jvm(List<String> flags, List<String> program) {
    List<String> jvm = new ArrayList<>();
    jvm.add(command.java().toString());
    jvm.addAll(command.jvmOptions());
    jvm.add(JavaChildCommand.SLF4J_PROVIDER);
    jvm.addAll(flags);
    jvm.add("-cp");
    jvm.add(JavaChildCommand.joined(command.archivable()));
    jvm.addAll(program);
    return jvm;
  }

  private void run(String step, List<String> jvm, Duration timeout) throws IOException, TimeoutException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(jvm).redirectErrorStream(true)
      .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process;
    synchronized (this) {
      if (cancelled) {
        throw new IOException("cancelled: the worker is closing");
      }
      process = builder.start();
      running = process;
    }
    process.getOutputStream().close();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new TimeoutException(step + " took longer than " + timeout.toMillis() + " ms; see " + logFile());
      }
    } finally {
      process.destroyForcibly();
      synchronized (this) {
        running = null;
      }
    }
    if (cancelled) {
      throw new IOException("cancelled: the worker is closing");
    }
    if (process.exitValue() != 0) {
      throw new IOException(step + " exited with " + process.exitValue() + ": " + lastLines(2) + " (all of it in " + logFile() + ")");
    }
  }

  /** The last lines of the log that say something: a stack trace's frames are left to the file. */
  private String lastLines(int count) throws IOException {
    List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8).stream()
      .filter(line -> !STACK_FRAME.matcher(line).find())
      .toList();
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - count), lines.size()));
  }

  /** What the archive is for: its name. */
  private String identity() {
    StringBuilder what = new StringBuilder()
      .append(kind).append('\n')
      .append(command.java().toAbsolutePath()).append('\n')
      .append(String.join(" ", command.jvmOptions())).append('\n')
      .append(training.entrypoint()).append('\n');
    for (Path entry : command.archivable()) {
      what.append(entry).append('\n');
    }
    return sha256(what.toString());
  }

  /** The state it is made from: when this changes, the archive is made again. */
  private String stamp() throws IOException {
    StringBuilder state = new StringBuilder();
    Path modules = command.java().toAbsolutePath().getParent().resolveSibling("lib").resolve("modules");
    state.append(describe(modules)).append('\n');
    for (Path entry : command.archivable()) {
      state.append(describe(entry)).append('\n');
    }
    state.append("options ").append(training.options()).append('\n');
    state.append("payload ").append(training.payload()).append('\n');
    return state.toString();
  }

  private static String describe(Path file) throws IOException {
    if (!Files.exists(file)) {
      return file + " absent";
    }
    return file + " " + Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis();
  }

  private static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
