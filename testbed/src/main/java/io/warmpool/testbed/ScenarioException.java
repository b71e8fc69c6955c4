package io.warmpool.testbed;

/**
 * A scenario file that cannot be run. The message names the file, the field, the value and
 * what is allowed, so it is printed as it is and the run stops before any worker starts.
 */
public final class ScenarioException extends Exception {

  public ScenarioException(String message) {
    // nobody reads a stack trace for a typo in a scenario
    super(message, null, false, false);
  }
}
