package io.warmpool.child;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Sends the child's {@code java.util.logging} records to the worker as {@code log} messages,
 * each with the id of the job whose thread (or a thread it started) made it. It takes the
 * console handler's place on the root logger: the worker logs a record once, with the child's
 * pid and the job, instead of once as a record and again as a line of stderr.
 *
 * <p>Installed lazily: {@link #routeTo} names {@link Config} as the logging configuration, which
 * the JDK instantiates only when something first logs, so a child that never logs never loads
 * the logging classes and starts as fast as before.
 */
final class ChannelLogHandler extends Handler {

  private static final String CONFIG_PROPERTY = "java.util.logging.config.class";
  /** The job of the current thread, inherited by the threads a job starts. */
  private static final InheritableThreadLocal<JsonPrimitive> CURRENT_JOB = new InheritableThreadLocal<>();
  private static volatile ChildSession session;

  private final SimpleFormatter formatter = new SimpleFormatter();

  /**
   * Routes the logging of this process to {@code target}, unless the entrypoint's JVM options
   * name a logging configuration of their own.
   */
  static void routeTo(ChildSession target) {
    session = target;
    if (System.getProperty(CONFIG_PROPERTY) == null && System.getProperty("java.util.logging.config.file") == null) {
      System.setProperty(CONFIG_PROPERTY, Config.class.getName());
    }
  }

  /** The logging configuration the JDK builds on first use: the root logger at INFO, to the worker. */
  public static final class Config {

    public Config() {
      Logger root = LogManager.getLogManager().getLogger("");
      for (Handler handler : root.getHandlers()) {
        root.removeHandler(handler);
      }
      root.setLevel(Level.INFO);
      root.addHandler(new ChannelLogHandler());
    }
  }

  /** Marks the calling thread (and the threads it starts) as working for {@code jobId}; null clears it. */
  static void currentJob(JsonPrimitive jobId) {
    if (jobId == null) {
      CURRENT_JOB.remove();
    } else {
      CURRENT_JOB.set(jobId);
    }
  }

  @Override
  public void publish(LogRecord record) {
    if (!isLoggable(record)) {
      return;
    }
    JsonObject fields = new JsonObject();
    fields.addProperty("logger", String.valueOf(record.getLoggerName()));
    if (record.getThrown() != null) {
      fields.addProperty("error", ErrorText.of(record.getThrown()));
    }
    String message = formatter.formatMessage(record);
    ChildSession target = session;
    if (target == null) {
      ChildLog.warn(record.getLevel() + " " + message);
      return;
    }
    try {
      target.sendLog(ChildFrames.log(levelOf(record.getLevel()), message == null ? "" : message, fields, CURRENT_JOB.get()));
    } catch (IllegalArgumentException tooLarge) {
      ChildLog.warn("a log record of " + message.length() + " characters is over the frame limit; not sent");
    }
  }

  /** The protocol's four levels: FINE and below are debug, CONFIG is info. */
  static String levelOf(Level level) {
    int value = level.intValue();
    if (value >= Level.SEVERE.intValue()) {
      return "error";
    }
    if (value >= Level.WARNING.intValue()) {
      return "warn";
    }
    if (value >= Level.CONFIG.intValue()) {
      return "info";
    }
    return "debug";
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
  }
}
