package io.warmpool.testbed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A main class in a JVM of its own, started with the java this one runs on: the far end of a
 * floor ({@link EchoServer}, {@link LineEcho}) or an idle JVM to weigh a child against. Stopped
 * on close.
 */
public final class JvmProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final BufferedReader output;

  /** On this JVM's class path. */
  public JvmProcess(Class<?> main, List<String> jvmOptions, List<String> args) throws IOException {
    this(System.getProperty("java.class.path"), main, jvmOptions, args);
  }

  public JvmProcess(String classPath, Class<?> main, List<String> jvmOptions, List<String> args) throws IOException {
    this.name = main.getSimpleName();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classPath, main.getName()));
    command.addAll(args);
    process = new ProcessBuilder(command).redirectErrorStream(true).start();
    output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Waits for its first line of output and checks it starts with {@code expected}: the main
   * class says it is ready; otherwise it is stopped and what it said instead is the error.
   */
  public String awaitFirstLine(String expected) throws IOException, InterruptedException {
    String first = output.readLine();
    if (first == null || !first.startsWith(expected)) {
      close();
      throw new IOException(name + " did not say '" + expected + "' first: " + first);
    }
    return first;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
