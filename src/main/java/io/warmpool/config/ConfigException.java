package io.warmpool.config;

/**
 * An invalid configuration. The message is one line that names the key (or file or variable),
 * the value and what is allowed, fit to be printed as it is by {@code main} before it exits:
 * operators read it, so it carries no stack trace and never a secret.
 */
public final class ConfigException extends Exception {

  public ConfigException(String message) {
    // no stack trace: nobody reads one for a config error, and it keeps start-up output to one line
    super(message, null, false, false);
  }
}
