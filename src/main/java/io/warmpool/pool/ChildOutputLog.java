package io.warmpool.pool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Logs what a child prints on stdout and stderr, line by line, with its pid and the job it is
 * running. JDK process streams only block, so each child gets one daemon thread that ends with
 * the stream.
 */
final class ChildOutputLog implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger("warmpool.child");
  private static final int MAX_LINE_CHARS = 4096;

  private final Process process;
  private volatile String jobId;

  private ChildOutputLog(Process process) {
    this.process = process;
  }

  static ChildOutputLog start(Process process) {
    ChildOutputLog log = new ChildOutputLog(process);
    Thread thread = new Thread(log, "warmpool-child-output-" + process.pid());
    thread.setDaemon(true);
    thread.start();
    return log;
  }

  /** The job whose id tags the next lines; {@code null} between jobs. */
  void jobId(String jobId) {
    this.jobId = jobId;
  }

  @Override
  public void run() {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.length() > MAX_LINE_CHARS) {
          line = line.substring(0, MAX_LINE_CHARS) + "… (" + line.length() + " chars)";
        }
        String job = jobId;
        if (job == null) {
          LOG.info("[pid {}] {}", process.pid(), line);
        } else {
          LOG.info("[pid {} job {}] {}", process.pid(), job, line);
        }
      }
    } catch (IOException e) {
      // the stream closes when the process ends: nothing left to log
    }
  }
}
