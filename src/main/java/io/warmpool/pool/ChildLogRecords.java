package io.warmpool.pool;

import io.warmpool.protocol.ChildMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the {@code log} records children send to the worker's log, at the record's own level,
 * through the logger their printed lines go to ({@code warmpool.child}): one place to look,
 * and one logger to turn up or down, for everything a child says.
 */
final class ChildLogRecords {

  private static final Logger LOG = LoggerFactory.getLogger("warmpool.child");
  /** As for printed lines: one record must not flood the log. */
  private static final int MAX_CHARS = 4096;

  private ChildLogRecords() {
  }

  /** Logs the record at its level, when that level of {@code warmpool.child} is on. */
  static void write(long pid, ChildMessage.Log record) {
    // the line goes in as an argument, never as the format: a child's message may contain "{}"
    switch (record.level()) {
      case "debug":
        if (LOG.isDebugEnabled()) {
          LOG.debug("{}", line(pid, record));
        }
        break;
      case "info":
        if (LOG.isInfoEnabled()) {
          LOG.info("{}", line(pid, record));
        }
        break;
      case "warn":
        LOG.warn("{}", line(pid, record));
        break;
      default:
        LOG.error("{}", line(pid, record));
        break;
    }
  }

  /** {@code [pid P job J] message {fields}}: the job when the record names one, the fields when there are any. */
  static String line(long pid, ChildMessage.Log record) {
    StringBuilder line = new StringBuilder("[pid ").append(pid);
    if (record.jobId() != null) {
      line.append(" job ").append(record.jobId());
    }
    line.append("] ").append(abbreviate(record.message()));
    if (!record.fields().isEmpty()) {
      line.append(' ').append(abbreviate(record.fields().encode()));
    }
    return line.toString();
  }

  private static String abbreviate(String text) {
    return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "… (" + text.length() + " chars)";
  }
}
