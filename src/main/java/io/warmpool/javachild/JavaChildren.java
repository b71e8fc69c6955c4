package io.warmpool.javachild;

import io.warmpool.config.ConfigLoader;
import io.warmpool.config.WorkerConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * How the worker runs its Java children: the runtime's jars written into the cache directory, the
 * command line, and the class-data archive. The archive is made once per configuration (at the
 * first start, in the background: children started meanwhile run without it) and used by every
 * child started after it exists.
 *
 * <p>{@link #prepare} and {@link #buildArchive} block; the command is read from any thread.
 */
public final class JavaChildren {

  /** What the training run gives the demo, so the job path of the default worker is archived too. */
  private static final String DEMO_PAYLOAD = "{\"op\":\"echo\",\"value\":\"training\"}";

  private final JavaChildCommand command;
  private final ClassArchiveBuilder archive;
  /** The archive children use; {@code null} while there is none (none wanted, or not made yet). */
  private volatile ClassArchive made;

  private JavaChildren(JavaChildCommand command, ClassArchiveBuilder archive, ClassArchive made) {
    this.command = command;
    this.archive = archive;
    this.made = made;
  }

  /**
   * Writes the runtime's jars out if needed and finds an archive made earlier.
   *
   * @param environment what a child's environment holds besides its channel
   */
  public static JavaChildren prepare(WorkerConfig.Child config, Map<String, String> environment) throws IOException {
    Path cache = CacheDirectory.secure(CacheDirectory.resolve(config.cacheDir(), System.getenv()));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    JavaChildCommand command = new JavaChildCommand(java, config.jvmOptions(), RuntimeJars.extractInto(cache), config.classpath());
    if (!config.classArchive() || command.optionsDecideSharing()) {
      return new JavaChildren(command, null, null);
    }
    ClassArchiveBuilder archive = new ClassArchiveBuilder(command, ClassArchive.Kind.forRelease(Runtime.version().feature()),
      training(config, command), environment, cache.resolve("archives"));
    return new JavaChildren(command, archive, archive.cached().orElse(null));
  }

  /**
   * Only the entrypoint's prewarm runs in training, never a job of the user's: a job made up by
   * the worker could do anything. When the user's code lies in a class directory, which no
   * archive can hold, the runtime is trained alone (with the demo, which it carries).
   */
  private static ClassArchiveBuilder.Training training(WorkerConfig.Child config, JavaChildCommand command) {
    boolean userCodeArchived = command.fullyArchivable();
    String entrypoint = userCodeArchived ? config.entrypoint() : ConfigLoader.DEFAULT_ENTRYPOINT;
    String options = userCodeArchived ? config.options().encode() : "{}";
    String payload = entrypoint.equals(ConfigLoader.DEFAULT_ENTRYPOINT) ? DEMO_PAYLOAD : null;
    return new ClassArchiveBuilder.Training(entrypoint, options, payload);
  }

  /** The command that starts a child now: with the archive once it exists. */
  public List<String> command() {
    ClassArchive archived = made;
    return archived == null ? command.plain() : command.with(archived);
  }

  /** Whether an archive is wanted and not there yet. */
  public boolean archiveMissing() {
    return archive != null && made == null;
  }

  /** Makes the archive and switches the command to it. */
  public ClassArchive buildArchive(Duration timeout) throws IOException, TimeoutException, InterruptedException {
    made = archive.build(timeout);
    return made;
  }

  /** Stops an archive build under way. */
  public void close() {
    if (archive != null) {
      archive.cancel();
    }
  }
}
