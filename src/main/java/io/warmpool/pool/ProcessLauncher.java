package io.warmpool.pool;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.warmpool.config.WorkerConfig;
import io.warmpool.javachild.JavaChildren;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts child processes: the Java child runtime ({@link JavaChildren}), or the program of
 * {@code child.command}. Each child is given a token, connects back to the
 * {@link ChannelServer} with it, and is matched to its process by it. The fork and exec block:
 * they run on a worker thread.
 */
final class ProcessLauncher implements ChildLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessLauncher.class);

  /**
   * What a child inherits of the worker's environment: nothing else, so the worker's token
   * and secrets never reach a job.
   */
  static final List<String> INHERITED_ENV = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "JAVA_HOME");

  private static final Path SETSID = Path.of("/usr/bin/setsid");
  /**
   * How long a reaped child's output thread may take to read what is left once its processes
   * are killed; past that, something outside the tree holds the stream (it inherited it and
   * left the tree in every way {@link ProcessTree} looks), and the thread ends when it closes it.
   */
  private static final Duration OUTPUT_END = Duration.ofSeconds(2);
  /** The children of every launcher of this JVM that have not been reaped yet. */
  private static final Set<Started> LIVE = ConcurrentHashMap.newKeySet();

  private final Vertx vertx;
  private final WorkerConfig.Child config;
  private final Duration archiveTimeout;
  private final ChannelServer channels;
  private final boolean useCgroups;
  /** Set once by open() for the Java child; read by the threads that start children. */
  private volatile JavaChildren javaChildren;
  /** Set once by open() where the worker may make cgroups; read by the threads that start children. */
  private volatile ChildCgroups cgroups;
  private volatile boolean closing;
  /** The class-data archive being made, if any: closing waits for it, so its JVM never outlives the pool. */
  private Future<?> archiveBuild = Future.succeededFuture();

  /**
   * @param archiveTimeout  how long the training run of a class-data archive may take: the
   *                        prewarm's own time limit and the JVM's start and dump on top
   * @param helloTimeoutMs  how long a connection to the child port may take to say {@code hello}
   *                        ({@code pool.initTimeoutMs}: a child not ready by then is killed anyway)
   */
  ProcessLauncher(Vertx vertx, WorkerConfig.Child config, Duration archiveTimeout, long helloTimeoutMs) {
    this(vertx, config, archiveTimeout, helloTimeoutMs, true);
  }

  /** @param useCgroups whether to give children cgroups of their own where the worker may (tests try both ways) */
  ProcessLauncher(Vertx vertx, WorkerConfig.Child config, Duration archiveTimeout, long helloTimeoutMs, boolean useCgroups) {
    this.vertx = vertx;
    this.config = config;
    this.archiveTimeout = archiveTimeout;
    this.channels = new ChannelServer(vertx, helloTimeoutMs);
    this.useCgroups = useCgroups;
  }

  @Override
  public Future<Void> open() {
    Future<Void> listening = channels.listen().mapEmpty();
    if (useCgroups) {
      listening = listening.compose(v -> vertx.executeBlocking(ChildCgroups::open, false))
        .onSuccess(found -> cgroups = found)
        .mapEmpty();
    }
    if (config.command() != null) {
      return listening;
    }
    return listening
      .compose(v -> vertx.executeBlocking(() -> JavaChildren.prepare(config, childEnvironment()), false))
      .onSuccess(children -> {
        javaChildren = children;
        if (children.archiveMissing()) {
          buildArchiveInBackground(children);
        }
      })
      .mapEmpty();
  }

  /**
   * The first start of a configuration makes its class-data archive while the pool already
   * runs: children started meanwhile do without it, those started after use it.
   */
  private void buildArchiveInBackground(JavaChildren children) {
    long startedAt = System.nanoTime();
    archiveBuild = vertx.executeBlocking(() -> children.buildArchive(archiveTimeout), false)
      .onSuccess(archive -> LOG.info("class-data archive of the Java children made in {} ms ({}); children started from now on use it",
        (System.nanoTime() - startedAt) / 1_000_000, archive.file()))
      .onFailure(err -> {
        if (!closing) {
          LOG.warn("no class-data archive for the Java children: {}. They run without one, and start slower and weigh more"
            + " (child.classArchive: false stops the attempt)", err.getMessage());
        }
      });
  }

  @Override
  public LaunchedChild launch(ChildLog log) {
    OsChild child = new OsChild(ChannelServer.newToken(), log);
    child.start();
    return child;
  }

  @Override
  public Future<Void> close() {
    closing = true;
    JavaChildren children = javaChildren;
    if (children != null) {
      children.close();
    }
    ChildCgroups made = cgroups;
    // the build's JVM is killed by now; its end is awaited so that no process of ours is left
    return Future.join(channels.close(), archiveBuild.otherwiseEmpty())
      .compose(v -> made == null ? Future.succeededFuture()
        : vertx.executeBlocking(() -> {
          made.close();
          return null;
        }, false));
  }

  /**
   * Kills every child of this JVM's launchers now, each with its whole process tree: for a
   * worker that must stop at once. Blocking; from any thread.
   */
  static void killAllNow() {
    for (Started child : LIVE) {
      child.tree().kill(child.process());
    }
  }

  /** The command a child starts with now: the Java child's changes once its archive exists. */
  private List<String> command() {
    return inOwnSession(config.command() != null ? config.command() : javaChildren.command());
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

  /** The child's program, for messages (the whole command line holds the classpath). */
  private String program() {
    List<String> command = command();
    return command.get(command.get(0).equals(SETSID.toString()) ? 1 : 0);
  }

  /**
   * A child's environment without its channel: the inherited variables, then the configured
   * ones, which may override an inherited one.
   */
  private Map<String, String> childEnvironment() {
    Map<String, String> env = new HashMap<>();
    Map<String, String> inherited = System.getenv();
    for (String name : INHERITED_ENV) {
      String value = inherited.get(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    env.putAll(config.env());
    return env;
  }

  /** Starts a child that will connect to {@code port} with {@code token}; its stdout and stderr are merged for the caller to read. */
  private Process startProcess(List<String> command, int port, String token) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.clear();
    env.putAll(childEnvironment());
    // the configured variables may not set the channel's (the config refuses them)
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
    private final ChildLog log;
    private final Promise<Long> started = Promise.promise();
    private final Promise<Integer> exited = Promise.promise();
    private final Future<ChildConnection> connected;
    private Process process;
    private ProcessTree tree;
    private ChildOutputLog outputLog;
    private boolean killRequested;
    private boolean killing;

    OsChild(String token, ChildLog log) {
      this.token = token;
      this.log = log;
      this.connected = channels.expect(token).map(channel -> channel);
    }

    void start() {
      int port = channels.port();
      vertx.executeBlocking(() -> startOs(port), false)
        .onSuccess(this::onStarted)
        .onFailure(err -> {
          channels.forget(token);
          started.fail(new IOException("cannot start child " + program() + ": " + err.getMessage(), err));
          exited.complete(-1);
        });
    }

    /** On a worker thread: the process, in a cgroup of its own where there are some, and its output thread. */
    private Started startOs(int port) throws IOException {
      List<String> command = command();
      ChildCgroups made = cgroups;
      Path cgroup = made == null ? null : made.create();
      Process os;
      try {
        os = startProcess(command, port, token);
      } catch (IOException | RuntimeException e) {
        if (cgroup != null) {
          ChildCgroups.remove(cgroup);
        }
        throw e;
      }
      // moved in before it had time to start anything: what it starts is born in it
      if (cgroup != null && !made.enter(cgroup, os.pid())) {
        cgroup = null;
      }
      ProcessTree processes = ProcessTree.of(os, command.get(0).equals(SETSID.toString()), token, cgroup);
      return new Started(os, processes, ChildOutputLog.start(os, log));
    }

    private void onStarted(Started os) {
      process = os.process();
      tree = os.tree();
      outputLog = os.outputLog();
      LIVE.add(os);
      started.complete(process.pid());
      Future.fromCompletionStage(process.onExit(), vertx.getOrCreateContext()).onComplete(ar -> {
        channels.forget(token);
        // the reap: what the child started goes with it, and its output thread with them
        vertx.executeBlocking(this::endTree, false).onComplete(ended -> {
          LIVE.remove(os);
          exited.complete(process.exitValue());
        });
      });
      if (killRequested) {
        // stopped (init timeout, shutdown) before the OS process existed
        killTree();
      }
    }

    /** On a worker thread, once the child has exited. */
    private Void endTree() throws InterruptedException {
      tree.kill(process);
      if (!outputLog.awaitEnd(OUTPUT_END)) {
        LOG.warn("the output of child {} is still open after its processes were ended: a process outside its tree holds it",
          process.pid());
      }
      return null;
    }

    private void killTree() {
      if (!killing) {
        killing = true;
        vertx.executeBlocking(() -> tree.kill(process), false);
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
        killTree();
      }
    }

    @Override
    public ProcessTree tree() {
      return tree;
    }
  }

  private record Started(Process process, ProcessTree tree, ChildOutputLog outputLog) {
  }
}
