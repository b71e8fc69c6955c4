package io.warmpool.pool;

import io.warmpool.protocol.ChildMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.util.function.LongSupplier;

/**
 * Everything one child says to the worker's log, through logger {@code warmpool.child}: the
 * lines it prints on stdout and stderr (from its output thread, {@link ChildOutputLog}) and the
 * {@code log} records it sends on its channel (from the pool's event loop). One place to look,
 * and one logger to turn up or down.
 *
 * <p>A child cannot flood the worker's log: together, its lines and records may take at most
 * {@link #LINES_PER_SECOND} lines and {@link #CHARS_PER_SECOND} characters a second, in bursts
 * of up to {@link #BURST_LINES} lines and {@link #BURST_CHARS} characters. What is over is
 * dropped and counted, and the count is logged (a warning) before the next line that is let
 * through, or when the child's output ends. Control characters (but tabs) and bidirectional
 * overrides are written as {@code \\uXXXX}, so that a child cannot forge a log line or play
 * tricks with the terminal that shows it. Thread-safe.
 */
final class ChildLog {

  private static final Logger LOG = LoggerFactory.getLogger("warmpool.child");

  static final int LINES_PER_SECOND = 100;
  static final int BURST_LINES = 1000;
  static final int CHARS_PER_SECOND = 64 * 1024;
  static final int BURST_CHARS = 512 * 1024;
  /** A record's message, or its fields, longer than this is cut. Printed lines: {@link ChildOutputLog#MAX_LINE_BYTES}. */
  static final int MAX_RECORD_CHARS = 4096;

  /** Where lines go: the worker's log, or a test's list. */
  interface Sink {
    boolean enabled(Level level);

    void write(Level level, String line);
  }

  /** Logger {@code warmpool.child}. */
  static final Sink LOGGER = new Sink() {
    @Override
    public boolean enabled(Level level) {
      return LOG.isEnabledForLevel(level);
    }

    @Override
    public void write(Level level, String line) {
      // the line goes in as an argument, never as the format: a child's text may contain "{}"
      LOG.atLevel(level).log("{}", line);
    }
  };

  private final Sink sink;
  private final LongSupplier nanoClock;
  private volatile String jobId;

  // the budget, guarded by this
  private double lines = BURST_LINES;
  private double chars = BURST_CHARS;
  private long refilledAtNanos;
  private long droppedLines;
  private long droppedChars;

  ChildLog() {
    this(LOGGER, System::nanoTime);
  }

  ChildLog(Sink sink, LongSupplier nanoClock) {
    this.sink = sink;
    this.nanoClock = nanoClock;
    this.refilledAtNanos = nanoClock.getAsLong();
  }

  /** The job whose id tags the printed lines from now on; {@code null} between jobs. */
  void jobId(String jobId) {
    this.jobId = jobId;
  }

  /** A line the child printed, {@code cut} when it went on past what is read of a line. */
  void printed(long pid, String text, boolean cut) {
    StringBuilder line = tag(pid, jobId).append(clean(text));
    if (cut) {
      line.append("… (cut at ").append(ChildOutputLog.MAX_LINE_BYTES).append(" bytes)");
    }
    write(Level.INFO, pid, line.toString());
  }

  /** A {@code log} record the child sent, at the record's level. */
  void record(long pid, ChildMessage.Log record) {
    Level level = switch (record.level()) {
      case "debug" -> Level.DEBUG;
      case "info" -> Level.INFO;
      case "warn" -> Level.WARN;
      default -> Level.ERROR;
    };
    write(level, pid, recordLine(pid, record));
  }

  /** The child's output has ended: what was dropped since the last line is said now. */
  void ended(long pid) {
    String dropped;
    synchronized (this) {
      dropped = takeDropped(pid);
    }
    if (dropped != null) {
      sink.write(Level.WARN, dropped);
    }
  }

  /** Lines dropped since the last one let through. */
  synchronized long droppedLines() {
    return droppedLines;
  }

  /** {@code [pid P job J] message {fields}}: the job when the record names one, the fields when there are any. */
  static String recordLine(long pid, ChildMessage.Log record) {
    StringBuilder line = tag(pid, record.jobId() == null ? null : String.valueOf(record.jobId()))
      .append(clean(abbreviate(record.message())));
    if (!record.fields().isEmpty()) {
      line.append(' ').append(clean(abbreviate(record.fields().encode())));
    }
    return line.toString();
  }

  /** Lets the line through when the budget allows; a level that is off costs nothing. */
  private void write(Level level, long pid, String line) {
    if (!sink.enabled(level)) {
      return;
    }
    String dropped;
    synchronized (this) {
      long now = nanoClock.getAsLong();
      double seconds = Math.max(0, now - refilledAtNanos) / 1e9;
      refilledAtNanos = now;
      lines = Math.min(BURST_LINES, lines + seconds * LINES_PER_SECOND);
      chars = Math.min(BURST_CHARS, chars + seconds * CHARS_PER_SECOND);
      if (lines < 1 || chars < line.length()) {
        droppedLines++;
        droppedChars += line.length();
        return;
      }
      lines -= 1;
      chars -= line.length();
      dropped = takeDropped(pid);
    }
    if (dropped != null) {
      sink.write(Level.WARN, dropped);
    }
    sink.write(level, line);
  }

  /** The line that says what was dropped, once; {@code null} when nothing was. Holds this. */
  private String takeDropped(long pid) {
    if (droppedLines == 0) {
      return null;
    }
    String said = "[pid " + pid + "] " + droppedLines + " lines (" + droppedChars + " characters) of this child dropped: over "
      + LINES_PER_SECOND + " lines or " + CHARS_PER_SECOND + " characters a second";
    droppedLines = 0;
    droppedChars = 0;
    return said;
  }

  private static StringBuilder tag(long pid, String jobId) {
    StringBuilder tag = new StringBuilder("[pid ").append(pid);
    if (jobId != null) {
      tag.append(" job ").append(clean(jobId));
    }
    return tag.append("] ");
  }

  private static String abbreviate(String text) {
    return text.length() <= MAX_RECORD_CHARS ? text : text.substring(0, MAX_RECORD_CHARS) + "… (" + text.length() + " chars)";
  }

  /** The text with control characters (but tab) and bidirectional controls written as {@code \\uXXXX}. */
  static String clean(String text) {
    int first = 0;
    while (first < text.length() && !escaped(text.charAt(first))) {
      first++;
    }
    if (first == text.length()) {
      return text;
    }
    StringBuilder clean = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (escaped(c)) {
        clean.append(String.format("\\u%04x", (int) c));
      } else {
        clean.append(c);
      }
    }
    return clean.toString();
  }

  private static boolean escaped(char c) {
    return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
  }
}
