package io.warmpool.child;

import io.vertx.core.json.JsonObject;
import io.warmpool.demo.DemoEntrypoint;
import io.warmpool.protocol.ChildMessage.Done;
import io.warmpool.protocol.ChildMessage.Exiting;
import io.warmpool.protocol.ChildMessage.Started;
import io.warmpool.protocol.ChildMessage;
import io.warmpool.protocol.WorkerMessage.Initialize;
import io.warmpool.protocol.WorkerMessage.Shutdown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the Java child with several JVM option sets, and the Python and Node SDKs' children
 * beside it: time from process start to hello and
 * to ready, CPU time used until ready (steadier than wall time on a busy machine), the first echo job's round trip, idle memory one second after ready and time
 * from shutdown to exit. Memory: VmRSS (what the worker's memory limits read), its anonymous
 * part, and PrivDirty (Private_Dirty of smaps_rollup): pages no other process can share, the
 * best estimate of what one more child costs; most of the rest of VmRSS is libjvm and CDS
 * archive pages that every child maps from the same files. Not a test: run it on Linux with
 * {@code make bench-child-start ARGS="[runs]"}.
 *
 * <p>With {@code -Dbench.cp=target/warmpool.jar} (what the make target passes) the children run
 * from the shaded jar, as under the real worker, and the AppCDS variants are measured too;
 * without it they run from this JVM's class path. Medians are printed, one line per set.
 */
public final class ChildStartBenchmark {

  private static final List<String> BRIEF = List.of(
    "-Xms8m", "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
    "-XX:CICompilerCount=1", "-Xshare:auto");

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    String classPath = System.getProperty("bench.cp", System.getProperty("java.class.path"));
    Path work = Files.createTempDirectory("warmpool-bench");

    List<String> lean = plus(BRIEF, "-XX:-UsePerfData");
    // Debian's 17.0.x maps the CDS archive at a random address and relocates it, which dirties
    // (un-shares) most of its pages in every child; mode 0 maps it where it was dumped.
    List<String> unrelocated = plus(lean, "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");

    Map<String, Variant> variants = new LinkedHashMap<>();
    variants.put("brief", new Variant(BRIEF, Map.of()));
    variants.put("brief -UsePerfData", new Variant(lean, Map.of()));
    variants.put("+ ArchiveRelocationMode=0", new Variant(unrelocated, Map.of()));
    variants.put("+ MALLOC_ARENA_MAX=2", new Variant(unrelocated, Map.of("MALLOC_ARENA_MAX", "2")));
    variants.put("brief -UsePerfData -Xshare:off", new Variant(replace(lean, "-Xshare:auto", "-Xshare:off"), Map.of()));
    for (String extra : System.getProperty("bench.extra", "").split(";")) {
      if (!extra.isBlank()) {
        variants.put("+ " + extra, new Variant(plus(unrelocated, extra.trim().split(" ")), Map.of()));
      }
    }

    // the other runtimes, with their SDKs: the same measures from the same fake worker
    variants.put("python SDK (conformance child)", new Variant(List.of(), Map.of(),
      List.of("python3", Paths.get("children/python/conformance_child.py").toAbsolutePath().toString())));
    variants.put("node SDK (conformance child)", new Variant(List.of(), Map.of(),
      List.of("node", Paths.get("children/node/conformance-child.mjs").toAbsolutePath().toString())));

    boolean jarsOnly = Arrays.stream(classPath.split(java.io.File.pathSeparator)).noneMatch(e -> Files.isDirectory(Paths.get(e)));
    if (jarsOnly) {
      addAppCdsVariants(variants, classPath, lean, unrelocated, work);
    } else {
      System.out.println("AppCDS variants skipped: CDS archives only classes from jars; use -Dbench.cp=target/warmpool.jar");
    }

    System.out.printf("%-42s %7s %7s %7s %7s %8s %8s %8s %8s %6s%n",
      "options (medians of " + runs + ")", "hello", "ready", "cpu", "job1", "VmRSS", "Pss", "RssAnon", "PrivDirty", "exit");
    // Round-robin, so that a burst of load from elsewhere on the machine hits every set alike.
    Map<String, List<Sample>> results = new LinkedHashMap<>();
    for (int i = 0; i < runs; i++) {
      for (Map.Entry<String, Variant> variant : variants.entrySet()) {
        results.computeIfAbsent(variant.getKey(), k -> new ArrayList<>())
          .add(measure(classPath, variant.getValue(), work));
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

  /** Builds both kinds of AppCDS archive with the commands a build would use (ChildMain --train). */
  private static void addAppCdsVariants(Map<String, Variant> variants, String classPath, List<String> lean,
    List<String> unrelocated, Path work) throws Exception {
    // Dynamic: the training run dumps the classes it loaded on top of the JDK's own archive.
    Path dynamicArchive = work.resolve("child-dynamic.jsa");
    long took = run(work, plus(plus(lean, "-XX:ArchiveClassesAtExit=" + dynamicArchive), train(classPath)));
    System.out.printf("dynamic AppCDS: training run incl. dump %d ms, archive %d KiB%n", took, sizeKb(dynamicArchive));
    variants.put("dynamic AppCDS", new Variant(plus(lean, "-XX:SharedArchiveFile=" + dynamicArchive)));

    // Static: the training run lists the classes it loaded; -Xshare:dump archives exactly those
    // (JDK and application classes) in place of the JDK's default archive.
    Path classList = work.resolve("child.classlist");
    Path staticArchive = work.resolve("child-static.jsa");
    took = run(work, plus(List.of("-Xshare:off", "-XX:DumpLoadedClassList=" + classList), train(classPath)));
    long dumped = run(work, List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList,
      "-XX:SharedArchiveFile=" + staticArchive, "-cp", classPath));
    System.out.printf("static AppCDS: training run %d ms, %d classes listed, dump %d ms, archive %d KiB%n",
      took, Files.readAllLines(classList).size(), dumped, sizeKb(staticArchive));
    variants.put("static AppCDS", new Variant(plus(lean, "-XX:SharedArchiveFile=" + staticArchive)));
    variants.put("static AppCDS + ArchiveRelocationMode=0",
      new Variant(plus(unrelocated, "-XX:SharedArchiveFile=" + staticArchive)));
  }

  private static String[] train(String classPath) {
    return new String[] {"-cp", classPath, ChildMain.class.getName(), "--train", DemoEntrypoint.class.getName(),
      "--payload", "{\"op\":\"echo\"}"};
  }

  /** Runs java with these arguments to the end; returns how long it took. */
  private static long run(Path work, List<String> javaArguments) throws Exception {
    long start = System.nanoTime();
    Path log = work.resolve("java.log");
    Process process = new ProcessBuilder(plus(List.of(javaExecutable()), javaArguments.toArray(new String[0])))
      .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException(javaArguments + " failed: " + Files.readString(log));
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static Sample measure(String classPath, Variant variant, Path work) throws Exception {
    try (FakeWorker worker = new FakeWorker(work)) {
      List<String> command = new ArrayList<>();
      if (variant.command() != null) {
        command.addAll(variant.command());
      } else {
        command.add(javaExecutable());
        command.addAll(variant.options());
        command.addAll(List.of("-cp", classPath, ChildMain.class.getName()));
      }
      long start = System.nanoTime();
      Process child = worker.start(command, variant.env());
      worker.accept();
      worker.next(FakeWorker.START_TIMEOUT);
      Sample sample = new Sample();
      sample.helloMs = (System.nanoTime() - start) / 1_000_000;
      worker.send(new Initialize(DemoEntrypoint.class.getName(), new JsonObject()));
      ChildMessage ready = worker.next(FakeWorker.START_TIMEOUT);
      if (!(ready instanceof ChildMessage.Ready)) {
        throw new IllegalStateException("not ready: " + ready + " " + worker.stderr());
      }
      sample.readyMs = (System.nanoTime() - start) / 1_000_000;
      sample.readyCpuMs = cpuMs(child.pid());

      long jobStart = System.nanoTime();
      worker.startJob("bench", new JsonObject().put("op", "echo").put("value", "x"));
      worker.expect(Started.class);
      worker.expect(Done.class);
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

  private static String javaExecutable() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static long sizeKb(Path file) throws IOException {
    return Files.exists(file) ? Files.size(file) / 1024 : -1;
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

  private static List<String> plus(List<String> options, String... more) {
    List<String> result = new ArrayList<>(options);
    result.addAll(Arrays.asList(more));
    return result;
  }

  private static List<String> replace(List<String> options, String from, String to) {
    List<String> result = new ArrayList<>(options);
    result.replaceAll(option -> option.equals(from) ? to : option);
    return result;
  }

  private static long median(List<Sample> samples, java.util.function.ToLongFunction<Sample> field) {
    long[] values = samples.stream().mapToLong(field).sorted().toArray();
    return values[values.length / 2];
  }

  /** JVM options and environment for the Java child; or, with {@code command}, another runtime's child. */
  private record Variant(List<String> options, Map<String, String> env, List<String> command) {

    Variant(List<String> options, Map<String, String> env) {
      this(options, env, null);
    }

    Variant(List<String> options) {
      this(options, Map.of(), null);
    }
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
