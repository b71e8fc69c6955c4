package io.warmpool.child;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warmpool.config.ConfigLoader;
import io.warmpool.config.WorkerConfig;
import io.warmpool.javachild.ClassArchive;
import io.warmpool.javachild.JavaChildren;
import io.warmpool.protocol.ChildMessage.Done;
import io.warmpool.protocol.ChildMessage.Exiting;
import io.warmpool.protocol.ChildMessage.Started;
import io.warmpool.protocol.ChildMessage;
import io.warmpool.protocol.WorkerMessage.Initialize;
import io.warmpool.protocol.WorkerMessage.Shutdown;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * Measures the Java children exactly as the worker starts them (its own {@link JavaChildren}:
 * the child runtime's jars, the user's {@code child.classpath}, the class-data archive the worker
 * makes), the demo beside a user's job doing the same work from a jar of its own ({@link EchoJob})
 * and one that loads a few libraries ({@link LibraryJob}), with and without the archive, and the Python and Node SDKs' children beside them: time from process
 * start to hello and to ready, CPU time used until ready (steadier than wall time on a busy
 * machine), the first job's round trip, idle memory one second after ready and time from
 * shutdown to exit. Memory: VmRSS (what the worker's memory limits read), Pss (its shared pages
 * divided among the processes that map them), its anonymous part, and PrivDirty (Private_Dirty
 * of smaps_rollup): pages no other process can share, the best estimate of what one more child
 * costs. Not a test: run it on Linux with {@code make bench-child-start ARGS="[runs]"}; medians
 * are printed, one line per variant.
 */
public final class ChildStartBenchmark {

  private static final JsonObject ECHO = new JsonObject().put("op", "echo").put("value", "x");

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path work = Files.createTempDirectory("warmpool-bench");
    String cache = work.resolve("cache").toString();

    // A user's project: the job in a jar of its own, the libraries it loads in theirs; and the
    // same job as a build's class folder, which no archive can hold.
    Path userJar = jarOf(work.resolve("library-job.jar"), LibraryJob.class);
    Path userClasses = classFolderOf(work.resolve("classes"), LibraryJob.class);
    List<String> libraries = entriesOfThisClassPath("HdrHistogram", "jackson-core");
    JsonObject userJob = new JsonObject().put("entrypoint", LibraryJob.class.getName());
    JsonObject userPayload = new JsonObject().put("ms", 12);

    Map<String, Variant> variants = new LinkedHashMap<>();
    putJava(variants, "demo", new JsonObject(), cache, ECHO);
    putJava(variants, "demo, no archive", new JsonObject().put("classArchive", false), cache, ECHO);
    putJava(variants, "user job, the demo's work, jar", new JsonObject().put("entrypoint", EchoJob.class.getName())
      .put("classpath", new JsonArray().add(jarOf(work.resolve("echo-job.jar"), EchoJob.class).toString())), cache, ECHO);
    putJava(variants, "user job + 2 libraries, jars", userJob.copy().put("classpath", plus(libraries, userJar)), cache, userPayload);
    putJava(variants, "user job + 2 libraries, jars, no archive",
      userJob.copy().put("classpath", plus(libraries, userJar)).put("classArchive", false), cache, userPayload);
    putJava(variants, "user job + 2 libraries, class folder", userJob.copy().put("classpath", plus(libraries, userClasses)), cache, userPayload);
    // the other runtimes, with their SDKs: the same measures from the same fake worker
    variants.put("python SDK (conformance child)", new Variant(
      List.of("python3", Paths.get("children/python/conformance_child.py").toAbsolutePath().toString()), ConfigLoader.DEFAULT_ENTRYPOINT, ECHO));
    variants.put("node SDK (conformance child)", new Variant(
      List.of("node", Paths.get("children/node/conformance-child.mjs").toAbsolutePath().toString()), ConfigLoader.DEFAULT_ENTRYPOINT, ECHO));

    System.out.printf("%-42s %7s %7s %7s %7s %8s %8s %8s %8s %6s%n",
      "variant (medians of " + runs + ")", "hello", "ready", "cpu", "job1", "VmRSS", "Pss", "RssAnon", "PrivDirty", "exit");
    // Round-robin, so that a burst of load from elsewhere on the machine hits every variant alike.
    Map<String, List<Sample>> results = new LinkedHashMap<>();
    for (int i = 0; i < runs; i++) {
      for (Map.Entry<String, Variant> variant : variants.entrySet()) {
        results.computeIfAbsent(variant.getKey(), k -> new ArrayList<>()).add(measure(variant.getValue(), work));
      }
    }
    for (Map.Entry<String, List<Sample>> variant : results.entrySet()) {
      List<Sample> samples = variant.getValue();
      System.out.printf("%-42s %5dms %5dms %5dms %5.1fms %6.1fMB %6.1fMB %6.1fMB %6.1fMB %4dms%n", variant.getKey(),
        median(samples, s -> s.helloMs), median(samples, s -> s.readyMs), median(samples, s -> s.readyCpuMs), median(samples, s -> s.firstJobMicros) / 1000.0,
        median(samples, s -> s.rssKb) / 1024.0, median(samples, s -> s.pssKb) / 1024.0, median(samples, s -> s.anonKb) / 1024.0,
        median(samples, s -> s.privateKb) / 1024.0, median(samples, s -> s.exitMs));
    }
  }

  /**
   * A Java child configured as a worker would be with {@code child}: its command from the
   * worker's own code, with the archive made first (as a worker's first start does in the
   * background) unless the configuration turns it off.
   */
  private static void putJava(Map<String, Variant> variants, String name, JsonObject child, String cache, JsonObject payload)
    throws Exception {
    WorkerConfig config = ConfigLoader.fromJson(new JsonObject().put("child", child.copy().put("cacheDir", cache)), Map.of());
    JavaChildren children = JavaChildren.prepare(config.child(), Map.of("PATH", System.getenv("PATH")));
    if (children.archiveMissing()) {
      long start = System.nanoTime();
      ClassArchive archive = children.buildArchive(Duration.ofMinutes(2));
      System.out.printf("archive for %s: made in %d ms, %d KiB%n", name, (System.nanoTime() - start) / 1_000_000,
        Files.size(archive.file()) / 1024);
    }
    variants.put(name, new Variant(children.command(), config.child().entrypoint(), payload));
  }

  private static Path jarOf(Path jar, Class<?> type) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new ZipEntry(classFile(type)));
      out.write(classBytes(type));
      out.closeEntry();
    }
    return jar;
  }

  private static Path classFolderOf(Path folder, Class<?> type) throws IOException {
    Path file = folder.resolve(classFile(type));
    Files.createDirectories(file.getParent());
    Files.write(file, classBytes(type));
    return folder;
  }

  private static String classFile(Class<?> type) {
    return type.getName().replace('.', '/') + ".class";
  }

  private static byte[] classBytes(Class<?> type) throws IOException {
    try (InputStream in = type.getClassLoader().getResourceAsStream(classFile(type))) {
      return in.readAllBytes();
    }
  }

  /** The jars of this JVM's class path whose names start with each of {@code prefixes}. */
  private static List<String> entriesOfThisClassPath(String... prefixes) {
    List<String> found = new ArrayList<>();
    for (String prefix : prefixes) {
      found.add(Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> Paths.get(entry).getFileName().toString().startsWith(prefix))
        .findFirst().orElseThrow(() -> new IllegalStateException("no " + prefix + " jar on the class path")));
    }
    return found;
  }

  private static JsonArray plus(List<String> entries, Path last) {
    JsonArray array = new JsonArray();
    entries.forEach(array::add);
    return array.add(last.toString());
  }

  private static Sample measure(Variant variant, Path work) throws Exception {
    try (FakeWorker worker = new FakeWorker(work)) {
      long start = System.nanoTime();
      Process child = worker.start(variant.command());
      worker.accept();
      worker.next(FakeWorker.START_TIMEOUT);
      Sample sample = new Sample();
      sample.helloMs = (System.nanoTime() - start) / 1_000_000;
      worker.send(new Initialize(variant.entrypoint(), new JsonObject()));
      ChildMessage ready = nextBesidesLogs(worker);
      if (!(ready instanceof ChildMessage.Ready)) {
        throw new IllegalStateException("not ready: " + ready + " " + worker.stderr());
      }
      sample.readyMs = (System.nanoTime() - start) / 1_000_000;
      sample.readyCpuMs = cpuMs(child.pid());

      long jobStart = System.nanoTime();
      worker.startJob("bench", variant.payload());
      expect(nextBesidesLogs(worker), Started.class);
      expect(nextBesidesLogs(worker), Done.class);
      sample.firstJobMicros = (System.nanoTime() - jobStart) / 1_000;

      // Idle for a second: what a warm process costs while it waits in the pool.
      worker.nothingWithin(Duration.ofSeconds(1));
      sample.rssKb = statusKb(child.pid(), "VmRSS:");
      sample.pssKb = rollupKb(child.pid(), "Pss:");
      sample.anonKb = statusKb(child.pid(), "RssAnon:");
      sample.privateKb = rollupKb(child.pid(), "Private_Dirty:");

      long shutdown = System.nanoTime();
      worker.send(new Shutdown("test over"));
      worker.expect(Exiting.class);
      worker.awaitExit(Duration.ofSeconds(30));
      sample.exitMs = (System.nanoTime() - shutdown) / 1_000_000;
      return sample;
    }
  }

  /** The next message that is not a log record: a job's logs are not what is measured. */
  private static ChildMessage nextBesidesLogs(FakeWorker worker) {
    ChildMessage message;
    do {
      message = worker.next(FakeWorker.START_TIMEOUT);
    } while (message instanceof ChildMessage.Log);
    return message;
  }

  private static void expect(ChildMessage message, Class<? extends ChildMessage> type) {
    if (!type.isInstance(message)) {
      throw new IllegalStateException("expected " + type.getSimpleName() + ", got " + message);
    }
  }

  /** CPU time (user + system) the process has used: less disturbed by other load than wall time. */
  private static long cpuMs(long pid) throws IOException {
    String stat = Files.readString(Paths.get("/proc", String.valueOf(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
    return ticks * 10; // USER_HZ is 100 on Linux
  }

  private static long statusKb(long pid, String key) throws IOException {
    return fieldKb(Paths.get("/proc", String.valueOf(pid), "status"), key);
  }

  private static long rollupKb(long pid, String key) throws IOException {
    return fieldKb(Paths.get("/proc", String.valueOf(pid), "smaps_rollup"), key);
  }

  private static long fieldKb(Path file, String key) throws IOException {
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.substring(key.length()).replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static long median(List<Sample> samples, java.util.function.ToLongFunction<Sample> field) {
    long[] values = samples.stream().mapToLong(field).sorted().toArray();
    return values[values.length / 2];
  }

  /**
   * A child's command, the entrypoint its initialize names (the Java child's) and its first job.
   */
  private record Variant(List<String> command, String entrypoint, JsonObject payload) {
  }

  private static final class Sample {
    long helloMs;
    long readyMs;
    long readyCpuMs;
    long firstJobMicros;
    long rssKb;
    long pssKb;
    long anonKb;
    long privateKb;
    long exitMs;
  }

  private ChildStartBenchmark() {
  }
}
