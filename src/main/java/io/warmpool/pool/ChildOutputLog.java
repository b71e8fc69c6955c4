package io.warmpool.pool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads what a child prints on stdout and stderr (merged) and hands it to its {@link ChildLog}
 * line by line. The stream is read in chunks of {@link #CHUNK_BYTES} into a line of at most
 * {@link #MAX_LINE_BYTES}: a longer line is logged cut as soon as that much of it has come and
 * the rest of it is skipped as it is read, so a child printing a line of any length costs the
 * worker no more memory than that. A line ends at {@code \n}, {@code \r} or {@code \r\n}. JDK
 * process streams only block, so each child gets one daemon thread, which ends with the stream:
 * when the child and every process that inherited the stream are gone.
 */
final class ChildOutputLog implements Runnable {

  static final int MAX_LINE_BYTES = 4096;
  static final int CHUNK_BYTES = 8192;

  private final InputStream stream;
  private final long pid;
  private final ChildLog log;
  private final Thread thread;

  private ChildOutputLog(InputStream stream, long pid, ChildLog log) {
    this.stream = stream;
    this.pid = pid;
    this.log = log;
    this.thread = new Thread(this, "warmpool-child-output-" + pid);
    thread.setDaemon(true);
  }

  static ChildOutputLog start(Process process, ChildLog log) {
    ChildOutputLog output = new ChildOutputLog(process.getInputStream(), process.pid(), log);
    output.thread.start();
    return output;
  }

  /** Waits up to {@code bound} for the stream to end; whether it has. */
  boolean awaitEnd(Duration bound) throws InterruptedException {
    thread.join(Math.max(1, bound.toMillis()));
    return !thread.isAlive();
  }

  @Override
  public void run() {
    byte[] chunk = new byte[CHUNK_BYTES];
    byte[] line = new byte[MAX_LINE_BYTES];
    int length = 0;
    boolean cut = false;
    boolean afterCr = false;
    try (InputStream in = stream) {
      int read;
      while ((read = in.read(chunk)) >= 0) {
        for (int i = 0; i < read; i++) {
          byte b = chunk[i];
          if (b == '\n' || b == '\r') {
            boolean secondHalfOfCrLf = b == '\n' && afterCr;
            afterCr = b == '\r';
            if (!secondHalfOfCrLf && !cut) {
              emit(line, length, false);
            }
            length = 0;
            cut = false;
          } else {
            afterCr = false;
            if (cut) {
              continue;
            }
            if (length == MAX_LINE_BYTES) {
              emit(line, length, true);
              cut = true;
            } else {
              line[length++] = b;
            }
          }
        }
      }
    } catch (IOException e) {
      // the stream closes when the process ends: nothing left to log
    } finally {
      if (length > 0 && !cut) {
        emit(line, length, false);
      }
      log.ended(pid);
    }
  }

  private void emit(byte[] line, int length, boolean cut) {
    int end = cut ? completeUtf8(line, length) : length;
    log.printed(pid, new String(line, 0, end, StandardCharsets.UTF_8), cut);
  }

  /** The length of the longest prefix that does not end inside a UTF-8 sequence. */
  static int completeUtf8(byte[] bytes, int length) {
    int start = length - 1;
    while (start > 0 && start > length - 4 && (bytes[start] & 0xC0) == 0x80) {
      start--;
    }
    if (start < 0) {
      return length;
    }
    int lead = bytes[start] & 0xFF;
    int needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return length - start < needed ? start : length;
  }
}
