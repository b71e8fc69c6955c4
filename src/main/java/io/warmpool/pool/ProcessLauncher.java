package io.warmpool.pool;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.warmpool.config.WorkerConfig;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts child processes: the Java child runtime from this worker's own classpath, or the
 * program of {@code child.command}. Each child is given a token, connects back to the
 * {@link ChannelServer} with it, and is matched to its process by it. The fork and exec block:
 * they run on a worker thread.
 */
final class ProcessLauncher implements ChildLauncher {

  static final String CHILD_MAIN = "io.warmpool.child.ChildMain";
  static final String CLASS_ARCHIVE = "child.jsa";

  /**
   * What a child inherits of the worker's environment: nothing else, so the worker's token
   * and secrets never reach a job.
   */
  static final List<String> INHERITED_ENV = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "JAVA_HOME");

  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private final Vertx vertx;
  private final List<String> command;
  private final Map<String, String> childEnv;
  private final ChannelServer channels;

  ProcessLauncher(Vertx vertx, WorkerConfig.Child config) {
    this.vertx = vertx;
    List<String> child = config.command() != null ? List.copyOf(config.command())
      : javaChildCommand(config.jvmOptions(), config.classpath());
    this.command = inOwnSession(child);
    this.childEnv = config.env();
    this.channels = new ChannelServer(vertx);
  }

  @Override
  public Future<Void> open() {
    return channels.listen().mapEmpty();
  }

  @Override
  public LaunchedChild launch() {
    OsChild child = new OsChild(ChannelServer.newToken());
    child.start();
    return child;
  }

  @Override
  public Future<Void> close() {
    return channels.close();
  }

  /**
   * Runs the child in a session (and process group) of its own, so a Ctrl-C or a signal sent to
   * the worker's terminal reaches the worker, which drains, and not the children directly.
   * {@code setsid} (util-linux) execs in place, so the pid stays the child's.
   */
  private static List<String> inOwnSession(List<String> child) {
    if (!Files.isExecutable(SETSID)) {
      return child;
    }
    List<String> command = new ArrayList<>();
    command.add(SETSID.toString());
    command.addAll(child);
    return command;
  }

  private static List<String> javaChildCommand(List<String> jvmOptions, List<String> userClassPath) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    classArchive().ifPresent(archive -> command.add("-XX:SharedArchiveFile=" + archive));
    command.add("-cp");
    command.add(absoluteClassPath(userClassPath));
    command.add(CHILD_MAIN);
    return command;
  }

  /**
   * The AppCDS archive of the child's classes that {@code make build} writes next to the jar
   * (docs/child-runtime.md): children start faster and share those classes instead of each
   * loading its own. A stale archive is ignored by the JVM, so using it is always safe.
   */
  private static Optional<Path> classArchive() {
    String classPath = System.getProperty("java.class.path");
    if (!classPath.endsWith(".jar") || classPath.contains(File.pathSeparator)) {
      return Optional.empty();
    }
    Path archive = Path.of(classPath).toAbsolutePath().resolveSibling(CLASS_ARCHIVE);
    return Files.isReadable(archive) ? Optional.of(archive) : Optional.empty();
  }

  /**
   * The worker's own class path (the child runtime), then the user's {@code child.classpath}:
   * in that order the class-data archive, made for the worker's class path, still applies.
   */
  private static String absoluteClassPath(List<String> userClassPath) {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      entries.add(Path.of(entry).toAbsolutePath().toString());
    }
    for (String entry : userClassPath) {
      entries.add(Path.of(entry).toAbsolutePath().toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  /** The child's program, for messages (the whole command line holds the classpath). */
  private String program() {
    return command.get(command.get(0).equals(SETSID.toString()) ? 1 : 0);
  }

  /** Starts a child that will connect to {@code port} with {@code token}; its stdout and stderr are merged for the caller to read. */
  private Process startProcess(int port, String token) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    Map<String, String> inherited = System.getenv();
    env.clear();
    for (String name : INHERITED_ENV) {
      String value = inherited.get(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    // the configured variables may override an inherited one; the channel's may not be set there
    env.putAll(childEnv);
    env.put("WARMPOOL_IPC_PORT", Integer.toString(port));
    env.put("WARMPOOL_IPC_TOKEN", token);
    Process process = builder.start();
    // the protocol never uses stdin; closing it lets a child that reads it see end of input
    process.getOutputStream().close();
    return process;
  }

  /** One OS process: started on a worker thread, reaped through {@link Process#onExit()}. */
  private final class OsChild implements LaunchedChild {

    private final String token;
    private final Promise<Long> started = Promise.promise();
    private final Promise<Integer> exited = Promise.promise();
    private final Future<ChildConnection> connected;
    private Process process;
    private ChildOutputLog outputLog;
    private boolean killRequested;

    OsChild(String token) {
      this.token = token;
      this.connected = channels.expect(token).map(channel -> channel);
    }

    void start() {
      int port = channels.port();
      vertx.executeBlocking(() -> {
          Process os = startProcess(port, token);
          return new Started(os, ChildOutputLog.start(os));
        }, false)
        .onSuccess(this::onStarted)
        .onFailure(err -> {
          channels.forget(token);
          started.fail(new IOException("cannot start child " + program() + ": " + err.getMessage(), err));
          exited.complete(-1);
        });
    }

    private void onStarted(Started os) {
      process = os.process();
      outputLog = os.outputLog();
      started.complete(process.pid());
      Future.fromCompletionStage(process.onExit(), vertx.getOrCreateContext()).onComplete(ar -> {
        channels.forget(token);
        exited.complete(process.exitValue());
      });
      if (killRequested) {
        // stopped (init timeout, shutdown) before the OS process existed
        process.destroyForcibly();
      }
    }

    @Override
    public Future<Long> started() {
      return started.future();
    }

    @Override
    public Future<ChildConnection> connected() {
      return connected;
    }

    @Override
    public Future<Integer> exited() {
      return exited.future();
    }

    @Override
    public void kill() {
      killRequested = true;
      if (process != null) {
        process.destroyForcibly();
      }
    }

    @Override
    public void tagOutput(String jobId) {
      if (outputLog != null) {
        outputLog.jobId(jobId);
      }
    }
  }

  private record Started(Process process, ChildOutputLog outputLog) {
  }
}
