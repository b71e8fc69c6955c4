package io.warmpool.config;

import io.warmpool.bus.Addresses;
import io.warmpool.config.ConfigKey.Matches;
import io.warmpool.config.ConfigKey.Rule;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the keys of {@link ConfigLoader}'s table allow beyond their type: each rule tests a value
 * and says in words what it expects, for the one-line message a wrong value gets.
 */
final class ConfigRules {

  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+]");
  private static final Pattern IPV4 = Pattern.compile("[0-9]+(\\.[0-9]+){3}");
  private static final Pattern CLASS_NAME = Pattern.compile(
    "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

  static final Rule HOST = new Matches("a host name or IP address (non-empty, no spaces)",
    v -> isWord((String) v));
  /** Shorter tokens can be guessed; 16 random characters cannot, even without the delay after a wrong one. */
  static final int MIN_TOKEN_LENGTH = 16;

  static final Rule TOKEN = new Matches("null (no auth) or a string of at least " + MIN_TOKEN_LENGTH + " characters without spaces",
    v -> isWord((String) v) && ((String) v).length() >= MIN_TOKEN_LENGTH);
  // what a Host header names, without its port: a name, an IPv4 address or a bracketed IPv6 one
  static final Rule HOSTS = new Matches(
    "an array of host names or addresses without a port (\"worker.example.com\", \"10.0.0.5\", \"[fd00::5]\"), or \"*\" for any",
    v -> ((List<?>) v).stream().map(Object::toString).allMatch(h -> h.equals("*") || HOST_NAME.matcher(h).matches()));
  static final Rule LOAD_SOURCE = new Matches("one of \"cpu\", \"jobs\", \"external\"",
    v -> List.of("cpu", "jobs", "external").contains(v));
  static final Rule IDLE_POLICY = new Matches("one of \"scaled\", \"fixed\", \"spawn-only\"",
    v -> List.of("scaled", "fixed", "spawn-only").contains(v));
  static final Rule CLASS = new Matches("a fully qualified Java class name",
    v -> CLASS_NAME.matcher((String) v).matches());
  static final Rule COMMAND = new Matches(
    "null (the Java child runtime) or a non-empty array of strings, the program first",
    v -> !((List<?>) v).isEmpty() && !((List<?>) v).get(0).toString().isBlank());
  static final Rule ORIGINS = new Matches("an array of origins like \"https://example.com\" (scheme://host[:port])",
    v -> ((List<?>) v).stream().allMatch(o -> o.toString().matches("https?://[^/\\s]+")));
  static final Rule MEMBERS = new Matches(
    "a non-empty array of \"host\" or \"host:port\" strings (no spaces)",
    v -> !((List<?>) v).isEmpty() && ((List<?>) v).stream().allMatch(m -> isWord(m.toString())));
  static final Rule BUS_PREFIX = new Matches(Addresses.PREFIX_RULE, v -> Addresses.isValidPrefix((String) v));
  static final Rule NAME = new Matches("a non-empty name without spaces", v -> isWord((String) v));
  // the worker's own channel variables must reach the child as the worker sets them; "=" cannot
  // be in a variable's name
  static final Rule CHILD_ENV = new Matches(
    "an object of string values whose names are not empty, contain no \"=\" and do not start with \""
      + ConfigLoader.CHILD_CHANNEL_PREFIX + "\"",
    v -> ((Map<?, ?>) v).keySet().stream().map(Object::toString)
      .allMatch(name -> !name.isEmpty() && !name.contains("=") && !name.startsWith(ConfigLoader.CHILD_CHANNEL_PREFIX)));
  // the Java child's class path: a missing entry is named at start rather than found as a
  // ClassNotFoundException in every child; with child.command the command sets its own
  static final Rule CHILD_CLASSPATH = new Rule() {
    @Override
    public boolean allows(Object value, Map<String, Object> resolved) {
      List<?> entries = (List<?>) value;
      return entries.isEmpty() || (resolved.get("child.command") == null
        && entries.stream().allMatch(e -> !e.toString().isBlank() && Files.exists(Path.of(e.toString()))));
    }

    @Override
    public String describe(Map<String, Object> resolved) {
      return resolved.get("child.command") == null
        ? "an array of existing jar files or class directories (relative to the worker's working directory)"
        : "empty when child.command is set (the command sets its own class path)";
    }
  };
  // each option goes before the main class, so anything else would be taken for the class
  static final Rule JVM_OPTIONS = new Matches("an array of strings that each start with \"-\"",
    v -> ((List<?>) v).stream().allMatch(o -> o.toString().startsWith("-")));

  // the clustered event bus's TLS material: a store that does not open, or holds no key, is
  // named at start rather than found as a failed join or a failed handshake with every node
  static final Rule PASSWORD = new Matches("null or a non-empty string", v -> !((String) v).isEmpty());
  static final Rule KEY_STORE = new Rule() {
    @Override
    public boolean allows(Object value, Map<String, Object> resolved) {
      return opens((String) value, (String) resolved.get("cluster.tlsKeyStorePassword"), true);
    }

    @Override
    public String describe(Map<String, Object> resolved) {
      return "null (no TLS) or a PKCS#12 file holding a private key and its certificate that cluster.tlsKeyStorePassword"
        + (resolved.get("cluster.tlsKeyStorePassword") == null ? " (not set)" : "") + " opens";
    }
  };
  static final Rule TRUST_STORE = new Rule() {
    @Override
    public boolean allows(Object value, Map<String, Object> resolved) {
      return resolved.get("cluster.tlsKeyStore") != null && opens((String) value, trustStorePassword(resolved), false);
    }

    @Override
    public String describe(Map<String, Object> resolved) {
      return resolved.get("cluster.tlsKeyStore") == null
        ? "null while cluster.tlsKeyStore is null (TLS off)"
        : "null (trust the key store's own certificate) or a PKCS#12 file of certificates that "
          + "cluster.tlsTrustStorePassword (or, when not set, cluster.tlsKeyStorePassword) opens";
    }
  };

  /** The trust store's password: its own, or the key store's when it has none. */
  private static String trustStorePassword(Map<String, Object> resolved) {
    Object own = resolved.get("cluster.tlsTrustStorePassword");
    return (String) (own != null ? own : resolved.get("cluster.tlsKeyStorePassword"));
  }

  /** The PKCS#12 file opens with the password and holds a private key ({@code needsKey}) or a certificate. */
  private static boolean opens(String path, String password, boolean needsKey) {
    if (password == null || path.isBlank()) {
      return false;
    }
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      for (String alias : Collections.list(store.aliases())) {
        if (needsKey ? store.isKeyEntry(alias) : store.getCertificate(alias) != null) {
          return true;
        }
      }
      return false;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Why the web section may not be served as it is, completing "web.host = X …", or {@code null}:
   * an address other machines can reach, with no token, needs the operator's explicit word,
   * since anyone who reaches it could run and cancel jobs.
   */
  static String exposureProblem(WorkerConfig.Web web) {
    if (web.token() != null || web.allowUnauthenticated() || web.loopbackOnly()) {
      return null;
    }
    return "with no web.token: anyone who can reach it could run and cancel jobs. Set web.token (at least "
      + MIN_TOKEN_LENGTH + " characters), or set web.allowUnauthenticated to true (WARMPOOL_WEB_ALLOWUNAUTHENTICATED=true) "
      + "to serve it without one";
  }

  /**
   * Whether a host is this machine only: {@code localhost} or a loopback address. A name is not
   * resolved (no DNS at start-up): any other name counts as reachable from elsewhere.
   */
  static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    String address = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!IPV4.matcher(address).matches() && !address.contains(":")) {
      return false;
    }
    try {
      // an address literal: parsed, never looked up
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * What is wrong with the program of {@code child.command}, or {@code null} when it will start:
   * found as its child's {@code exec} will look for it and executable. A name with a slash is a
   * path (relative to the worker's working directory); a bare name is looked up on the child's
   * {@code PATH}: {@code child.env}'s if it sets one, else the worker's, which the child inherits.
   * A program that is not there would otherwise fail every spawn with exit 127, for ever.
   */
  static String programProblem(List<String> command, Map<String, String> childEnv, String workerPath) {
    String program = command.get(0);
    if (program.contains("/")) {
      Path path = Path.of(program);
      if (!Files.exists(path)) {
        return "program \"" + program + "\" not found";
      }
      return isProgram(path) ? null : "program \"" + program + "\" is not an executable file";
    }
    String searchPath = childEnv.getOrDefault("PATH", workerPath == null ? "" : workerPath);
    for (String dir : searchPath.split(":", -1)) {
      // an empty entry is the working directory, as for execvp
      if (isProgram(Path.of(dir.isEmpty() ? "." : dir).resolve(program))) {
        return null;
      }
    }
    return "program \"" + program + "\" not found on PATH (" + searchPath + ")";
  }

  private static boolean isProgram(Path path) {
    return Files.isRegularFile(path) && Files.isExecutable(path);
  }

  private static boolean isWord(String text) {
    return !text.isEmpty() && text.chars().noneMatch(Character::isWhitespace);
  }

  private ConfigRules() {
  }
}
