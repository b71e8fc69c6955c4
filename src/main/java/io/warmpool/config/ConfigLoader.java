package io.warmpool.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import io.warmpool.bus.Addresses;
import io.warmpool.config.ConfigKey.Range;
import io.warmpool.config.ConfigKey.Rule;
import io.warmpool.config.ConfigKey.Type;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.warmpool.config.ConfigKey.AUTO;
import static io.warmpool.config.ConfigRules.BUS_PREFIX;
import static io.warmpool.config.ConfigRules.CHILD_CLASSPATH;
import static io.warmpool.config.ConfigRules.CHILD_ENV;
import static io.warmpool.config.ConfigRules.CLASS;
import static io.warmpool.config.ConfigRules.COMMAND;
import static io.warmpool.config.ConfigRules.HOST;
import static io.warmpool.config.ConfigRules.HOSTS;
import static io.warmpool.config.ConfigRules.JVM_OPTIONS;
import static io.warmpool.config.ConfigRules.KEY_STORE;
import static io.warmpool.config.ConfigRules.IDLE_POLICY;
import static io.warmpool.config.ConfigRules.LOAD_SOURCE;
import static io.warmpool.config.ConfigRules.MEMBERS;
import static io.warmpool.config.ConfigRules.NAME;
import static io.warmpool.config.ConfigRules.ORIGINS;
import static io.warmpool.config.ConfigRules.PASSWORD;
import static io.warmpool.config.ConfigRules.TOKEN;
import static io.warmpool.config.ConfigRules.TRUST_STORE;
import static io.warmpool.config.ConfigKey.Range.above;
import static io.warmpool.config.ConfigKey.Range.atLeast;
import static io.warmpool.config.ConfigKey.Range.between;

/**
 * Reads a {@link WorkerConfig}: defaults, then the JSON file, then {@code WARMPOOL_<SECTION>_<KEY>}
 * environment variables, then validation; a later layer overrides an earlier one, and nothing
 * unvalidated gets out. Every key is one line of {@link #KEYS};
 * the records of {@link WorkerConfig} give the shape, and a key and a record component of the same
 * name must exist together (checked when this class loads).
 */
public final class ConfigLoader {

  /**
   * Options for the Java child's JVM: small heap, quick start-up, little JIT. One place, so the
   * child runtime can tune them without touching anything else.
   */
  public static final List<String> DEFAULT_JVM_OPTIONS = List.of(
    "-Xms4m", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
    "-Xss256k", "-XX:ReservedCodeCacheSize=16m", "-XX:-UsePerfData",
    // class-data archives mapped at their own address are shared between children, not copied
    "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0",
    // glibc keeps the C heap a starting JVM freed (loading and compiling classes): give it back
    "-XX:TrimNativeHeapInterval=1000");

  public static final String DEFAULT_ENTRYPOINT = "io.warmpool.demo.DemoEntrypoint";

  /** Environment variables with this prefix and a section name after it set a key. */
  public static final String ENV_PREFIX = "WARMPOOL_";

  /** The prefix of the variables that tell a child its channel; {@code child.env} may not set them. */
  public static final String CHILD_CHANNEL_PREFIX = "WARMPOOL_IPC_";

  private static final Pattern LOCATION = Pattern.compile("line: (\\d+), column: (\\d+)");

  // Order matters where a key's range or default names another key: that one comes first.
  private static final List<ConfigKey> KEYS = List.of(
    text("web.host", "127.0.0.1", HOST),
    key("web.port", Type.INT, 8080, between(0, 65535)),
    new ConfigKey("web", "token", Type.STRING, null, TOKEN, null, true),
    // checked with web.host and web.token once all are resolved (ConfigRules.exposureProblem)
    key("web.allowUnauthenticated", Type.BOOLEAN, false, null),
    // besides web.host and the loopback names: the Host names a browser may reach the worker by
    key("web.allowedHosts", Type.STRINGS, List.of(), HOSTS),
    // besides the request's own origin: the origins a browser page may act from
    key("web.allowedOrigins", Type.STRINGS, List.of(), ORIGINS),
    key("web.maxFrameBytes", Type.INT, 65536, between(1024, 16 * 1024 * 1024)),
    key("web.maxConnections", Type.INT, 10000, atLeast(1)),
    key("web.maxJobsPerConnection", Type.INT, 1000, atLeast(1)),
    // what one client that does not read may cost: its frames are no longer read above the first,
    // it is closed above the second (a single larger frame, a job's result, still goes to a client that keeps up)
    key("web.sendQueuePauseBytes", Type.INT, 256 * 1024, atLeast(1024)),
    key("web.sendQueueMaxBytes", Type.INT, 4 * 1024 * 1024, above("web.sendQueuePauseBytes")),
    // and all of them together: what any number of such clients may cost the heap
    key("web.sendQueueTotalBytes", Type.LONG, 64L * 1024 * 1024, atLeast("web.sendQueueMaxBytes")),
    key("web.stallCloseMs", Type.LONG, 30000L, atLeast(1)),
    // a client gone without a word (a laptop closed, a network cut) is noticed by its missing pong
    key("web.pingIntervalMs", Type.LONG, 30000L, atLeast(10)),
    key("web.pingTimeoutMs", Type.LONG, 60000L, above("web.pingIntervalMs")),
    // above the ping interval, so that an answering WebSocket client is never idle for this long
    key("web.idleTimeoutMs", Type.LONG, 120000L, new Range("web.pingIntervalMs", true, Integer.MAX_VALUE, false)),
    // half-sent requests (slowloris) hold no connection longer than this
    key("web.requestTimeoutMs", Type.LONG, 10000L, atLeast(1)),

    key("pool.maxProcesses", Type.INT, 16, atLeast(1)),
    // each waiting job holds its payload (up to a frame of 1 MiB) in the heap, so the waiting room
    // is a bound of HeapBudget's; "auto" as many as there are processes, as the shipped heap allows
    derived("pool.maxWaitingJobs", atLeast(1), values -> values.get("pool.maxProcesses")),
    derived("pool.maxIdle", between(0, "pool.maxProcesses"),
      // never above maxProcesses, so that lowering maxProcesses alone stays valid
      values -> Math.min(Math.min(Runtime.getRuntime().availableProcessors(), 4), (int) values.get("pool.maxProcesses"))),
    key("pool.maxConcurrentInits", Type.INT, 2, atLeast(1)),
    // timers need at least 1 ms: Vert.x refuses a 0 ms timer
    key("pool.initTimeoutMs", Type.LONG, 10000L, atLeast(1)),
    key("pool.closeTimeoutMs", Type.LONG, 5000L, atLeast(1)),
    key("pool.maxJobsPerProcess", Type.INT, 1, atLeast(1)),
    key("pool.maxJobsPerProcessJitter", Type.INT, 0, atLeast(0)),
    key("pool.scaleDownDelayMs", Type.LONG, 5000L, atLeast(0)),
    key("pool.scaleDownWindowMs", Type.LONG, 10000L, atLeast(0)),
    // the other two are there to compare against: a pool that ignores the load, and LiveKit's
    text("pool.idlePolicy", "scaled", IDLE_POLICY),
    key("pool.maxSpawnRate", Type.INT, 8, atLeast(1)),
    key("pool.pingIntervalMs", Type.LONG, 2500L, atLeast(10)),
    // a timeout at or below the interval would kill healthy processes between two pings
    key("pool.pingTimeoutMs", Type.LONG, 15000L, above("pool.pingIntervalMs")),
    key("pool.memoryWarnMb", Type.LONG, 500L, atLeast(0)),
    key("pool.memoryLimitMb", Type.LONG, 0L, atLeast(0)),
    key("pool.memorySoftMb", Type.LONG, 0L, atLeast(0)),
    key("pool.totalMemorySoftMb", Type.LONG, 0L, atLeast(0)),
    key("pool.totalMemoryHardMb", Type.LONG, 0L, atLeast(0)),

    text("load.source", "cpu", LOAD_SOURCE),
    key("load.intervalMs", Type.LONG, 500L, atLeast(10)),
    key("load.window", Type.INT, 5, atLeast(1)),
    // a threshold of 0 would make the worker full for ever
    key("load.threshold", Type.DOUBLE, 0.75, new Range(0, true, 1, false)),
    // a hysteresis at the threshold would keep a full worker full for ever
    key("load.hysteresis", Type.DOUBLE, 0.05, new Range(0, false, "load.threshold", true)),
    derived("load.maxJobs", atLeast(1), values -> values.get("pool.maxProcesses")),

    key("job.timeoutMs", Type.LONG, 0L, atLeast(0)),
    key("job.retainMs", Type.LONG, 300000L, atLeast(1)),
    // 0 is allowed: shutdown follows cancel at once (Vert.x refuses a 0 ms timer; the pool does not set one)
    key("job.cancelGraceMs", Type.LONG, 3000L, atLeast(0)),
    key("job.maxRecords", Type.INT, 10_000, atLeast(1)),
    key("job.maxRecordsMb", Type.INT, 64, atLeast(1)),
    key("job.maxEventsKept", Type.INT, 1_000, atLeast(1)),
    key("job.maxEventsKeptKb", Type.INT, 1024, atLeast(1)),
    key("job.traceHops", Type.BOOLEAN, false, null),

    key("drain.timeoutMs", Type.LONG, 60000L, atLeast(1)),

    new ConfigKey("child", "command", Type.STRINGS, null, COMMAND, null, false),
    text("child.entrypoint", DEFAULT_ENTRYPOINT, CLASS),
    key("child.jvmOptions", Type.STRINGS, DEFAULT_JVM_OPTIONS, JVM_OPTIONS),
    key("child.options", Type.OBJECT, Map.of(), null),
    key("child.env", Type.STRING_MAP, Map.of(), CHILD_ENV),
    key("child.classpath", Type.STRINGS, List.of(), CHILD_CLASSPATH),
    // empty: the user's cache directory ($XDG_CACHE_HOME/warmpool or ~/.cache/warmpool)
    key("child.cacheDir", Type.STRING, "", null),
    key("child.classArchive", Type.BOOLEAN, true, null),

    key("cluster.enabled", Type.BOOLEAN, false, null),
    text("cluster.host", "127.0.0.1", HOST),
    key("cluster.port", Type.INT, 5701, between(0, 65535)),
    key("cluster.members", Type.STRINGS, List.of("127.0.0.1"), MEMBERS),
    text("cluster.name", "warmpool", NAME),
    // event-bus TLS, off without a key store; each password before the store its rule opens with it
    new ConfigKey("cluster", "tlsKeyStorePassword", Type.STRING, null, PASSWORD, null, true),
    new ConfigKey("cluster", "tlsKeyStore", Type.STRING, null, KEY_STORE, null, false),
    new ConfigKey("cluster", "tlsTrustStorePassword", Type.STRING, null, PASSWORD, null, true),
    new ConfigKey("cluster", "tlsTrustStore", Type.STRING, null, TRUST_STORE, null, false),

    // two pools in one Vert.x must not answer each other's addresses nor share metric series
    text("bus.prefix", Addresses.DEFAULT_PREFIX, BUS_PREFIX));

  /** Keys by section, in table order. */
  private static final Map<String, Map<String, ConfigKey>> SECTIONS = new LinkedHashMap<>();

  static {
    for (ConfigKey key : KEYS) {
      SECTIONS.computeIfAbsent(key.section(), s -> new LinkedHashMap<>()).put(key.name(), key);
    }
    ConfigRecords.checkMatch(SECTIONS, KEYS);
  }

  private ConfigLoader() {
  }

  /**
   * Reads {@code confFile} (none when {@code null}) over the defaults, then applies {@code env}.
   *
   * @throws ConfigException with a one-line message, for a missing or unreadable file, bad JSON,
   *                         an unknown key or an invalid value
   */
  public static WorkerConfig load(Path confFile, Map<String, String> env) throws ConfigException {
    return resolve(confFile == null ? List.of() : List.of(fileLayer(confFile)), env);
  }

  /**
   * Values over the defaults, each from where it was given, for the messages: a file's
   * ({@code where} "conf/worker.json: " for an unknown key, no origin after a value), or the
   * application's own, set in code.
   */
  record Layer(String where, String origin, JsonObject sections) {

    static Layer inCode(JsonObject sections) {
      return new Layer("set in code: ", " (set in code)", sections);
    }
  }

  /** A config file's sections, read and checked to be a JSON object. */
  static Layer fileLayer(Path confFile) throws ConfigException {
    String label = confFile.toString();
    String text;
    try {
      text = Files.readString(confFile);
    } catch (NoSuchFileException e) {
      throw new ConfigException(label + ": file not found");
    } catch (IOException e) {
      throw new ConfigException(label + ": cannot read (" + oneLine(String.valueOf(e.getMessage())) + ")");
    }
    if (text.isBlank()) {
      throw new ConfigException(label + ": file is empty");
    }
    Object json;
    try {
      json = decodeStrict(text);
    } catch (DecodeException e) {
      throw new ConfigException(label + ": " + jsonProblem(e));
    }
    if (!(json instanceof JsonObject)) {
      throw new ConfigException(label + ": must be a JSON object with the sections " + String.join(", ", SECTIONS.keySet()));
    }
    return new Layer(label + ": ", "", (JsonObject) json);
  }

  /**
   * Like {@link #load} with {@code overrides} in place of a file. A section given in part keeps
   * the defaults of the keys it leaves out.
   */
  public static WorkerConfig fromJson(JsonObject overrides, Map<String, String> env) throws ConfigException {
    return resolve(overrides == null ? List.of() : List.of(new Layer("", "", overrides)), env);
  }

  public static WorkerConfig defaults() {
    try {
      return fromJson(null, Map.of());
    } catch (ConfigException e) {
      throw new IllegalStateException("the default configuration is invalid: " + e.getMessage());
    }
  }

  /**
   * The configuration as JSON, every section and key, except that {@code web.token} is replaced
   * by {@code "tokenSet": true|false}: the token is a secret and must not leave the process.
   */
  public static JsonObject summary(WorkerConfig config) {
    JsonObject json = new JsonObject();
    for (RecordComponent section : WorkerConfig.class.getRecordComponents()) {
      Object sectionValue = ConfigRecords.read(section, config);
      JsonObject sectionJson = new JsonObject();
      for (RecordComponent component : section.getType().getRecordComponents()) {
        ConfigKey key = SECTIONS.get(section.getName()).get(component.getName());
        Object value = ConfigRecords.read(component, sectionValue);
        if (key.secret()) {
          sectionJson.put(component.getName() + "Set", value != null);
        } else {
          sectionJson.put(component.getName(), asJson(value));
        }
      }
      json.put(section.getName(), sectionJson);
    }
    return json;
  }

  /** Every key at its default in JSON form ({@code "auto"} and {@code null} included), as in {@code conf/worker.json}. */
  static JsonObject defaultsJson() {
    JsonObject json = new JsonObject();
    for (ConfigKey key : KEYS) {
      JsonObject section = json.getJsonObject(key.section());
      if (section == null) {
        section = new JsonObject();
        json.put(key.section(), section);
      }
      section.put(key.name(), asJson(key.fallback()));
    }
    return json;
  }

  /** A key's value in the JSON form of the file: lists as arrays, maps as objects, each a copy. */
  private static Object asJson(Object value) {
    if (value instanceof List) {
      return new JsonArray(new ArrayList<>((List<?>) value));
    }
    if (value instanceof JsonObject) {
      return ((JsonObject) value).copy();
    }
    if (value instanceof Map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) value;
      return new JsonObject(new LinkedHashMap<>(map));
    }
    return value;
  }

  /** The defaults, then each layer over the one before, then {@code env}; then every key checked. */
  static WorkerConfig resolve(List<Layer> layers, Map<String, String> env) throws ConfigException {
    // raw JSON values by key, with where each came from; a default can fail too, when it does not
    // fit a key set by the user (load.hysteresis after load.threshold = 0.03), and must say so
    Map<ConfigKey, Object> raw = new HashMap<>();
    Map<ConfigKey, String> origin = new HashMap<>();
    for (ConfigKey key : KEYS) {
      raw.put(key, key.fallback());
      origin.put(key, " (default)");
    }
    for (Layer layer : layers) {
      read(layer, raw, origin);
    }
    // sorted, so that with several bad variables the same one is reported every time
    for (Map.Entry<String, String> variable : new TreeMap<>(env == null ? Map.<String, String>of() : env).entrySet()) {
      ConfigKey key = keyOf(variable.getKey());
      if (key != null) {
        raw.put(key, fromEnv(key, variable.getKey(), variable.getValue()));
        origin.put(key, " (from " + variable.getKey() + ")");
      }
    }
    Map<String, Object> resolved = new HashMap<>();
    for (ConfigKey key : KEYS) {
      resolved.put(key.path(), key.resolve(raw.get(key), origin.get(key), resolved));
    }
    WorkerConfig config = ConfigRecords.build(resolved);
    String exposed = ConfigRules.exposureProblem(config.web());
    if (exposed != null) {
      ConfigKey host = SECTIONS.get("web").get("host");
      throw new ConfigException(host.path() + " = " + host.show(raw.get(host)) + origin.get(host) + " " + exposed);
    }
    List<String> command = config.child().command();
    if (command != null) {
      String problem = ConfigRules.programProblem(command, config.child().env(), System.getenv("PATH"));
      if (problem != null) {
        ConfigKey key = SECTIONS.get("child").get("command");
        throw new ConfigException(key.path() + " = " + key.show(raw.get(key)) + origin.get(key) + ": " + problem);
      }
    }
    return config;
  }

  /** Takes a layer's values over those before it, refusing an unknown section or key. */
  private static void read(Layer layer, Map<ConfigKey, Object> raw, Map<ConfigKey, String> origin) throws ConfigException {
    String where = layer.where();
    for (String sectionName : layer.sections().fieldNames()) {
      Map<String, ConfigKey> section = SECTIONS.get(sectionName);
      if (section == null) {
        throw new ConfigException(where + "unknown section \"" + sectionName + "\"" + NearMiss.suggest(SECTIONS, KEYS, sectionName, null)
          + "; the sections are " + String.join(", ", SECTIONS.keySet()));
      }
      Object value = layer.sections().getValue(sectionName);
      if (!(value instanceof JsonObject)) {
        throw new ConfigException(where + sectionName + " = " + Json.encode(value) + ": must be a JSON object of "
          + sectionName + " keys");
      }
      JsonObject sectionJson = (JsonObject) value;
      for (String name : sectionJson.fieldNames()) {
        ConfigKey key = section.get(name);
        if (key == null) {
          throw new ConfigException(where + "unknown key " + sectionName + "." + name + NearMiss.suggest(SECTIONS, KEYS, sectionName, name));
        }
        raw.put(key, sectionJson.getValue(name));
        origin.put(key, layer.origin());
      }
    }
  }

  /**
   * The key a {@code WARMPOOL_<SECTION>_<KEY>} variable sets, matched ignoring case, or {@code null}
   * for a variable that is not for us (no prefix, or no known section after it: children's own
   * variables such as {@code WARMPOOL_IPC_TOKEN}).
   */
  private static ConfigKey keyOf(String variable) throws ConfigException {
    String upper = variable.toUpperCase(Locale.ROOT);
    if (!upper.startsWith(ENV_PREFIX)) {
      return null;
    }
    String rest = upper.substring(ENV_PREFIX.length());
    int underscore = rest.indexOf('_');
    if (underscore < 0) {
      return null;
    }
    String sectionPart = rest.substring(0, underscore);
    String namePart = rest.substring(underscore + 1);
    for (Map.Entry<String, Map<String, ConfigKey>> section : SECTIONS.entrySet()) {
      if (!section.getKey().equalsIgnoreCase(sectionPart)) {
        continue;
      }
      for (ConfigKey key : section.getValue().values()) {
        if (key.name().equalsIgnoreCase(namePart)) {
          return key;
        }
      }
      // a known section but no such key: most likely a typo, which must not pass silently
      String wrong = section.getKey() + "." + namePart.toLowerCase(Locale.ROOT);
      ConfigKey near = NearMiss.nearest(SECTIONS, KEYS, section.getKey(), namePart);
      throw new ConfigException(variable + ": unknown key " + wrong
        + (near == null ? "" : " (did you mean " + envName(near) + " for " + near.path() + "?)"));
    }
    return null;
  }

  /** An environment variable's text as the JSON value the key's type expects, where it reads as one. */
  private static Object fromEnv(ConfigKey key, String variable, String text) throws ConfigException {
    String trimmed = text.trim();
    switch (key.type()) {
      case STRING:
        return text;
      case BOOLEAN:
        return trimmed.equalsIgnoreCase("true") ? Boolean.TRUE : trimmed.equalsIgnoreCase("false") ? Boolean.FALSE : text;
      default:
        // numbers, "auto", null and JSON arrays; anything else stays text and fails validation
        if (trimmed.equalsIgnoreCase(AUTO)) {
          return AUTO;
        }
        try {
          Object value = trimmed.isEmpty() ? text : decodeStrict(trimmed);
          return value == null && !trimmed.equals("null") ? text : value;
        } catch (DecodeException e) {
          if (duplicateKey(e) != null) {
            // the object is JSON, but which of the two values was meant is not known
            throw new ConfigException(variable + ": " + jsonProblem(e));
          }
          return text;
        }
    }
  }

  private static String envName(ConfigKey key) {
    return ENV_PREFIX + key.section().toUpperCase(Locale.ROOT) + "_" + key.name().toUpperCase(Locale.ROOT);
  }

  /**
   * JSON text read as {@link Json#decodeValue(String)} reads it, except that a key given twice in
   * one object is an error rather than the last one silently winning: the file would say two
   * things, and which one the operator meant is not known.
   */
  private static Object decodeStrict(String text) {
    JsonParser parser = JacksonCodec.createParser(text);
    parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return JacksonCodec.fromParser(parser, Object.class);
  }

  /** The path of the key given twice ({@code web.port}), if that is what the exception is about. */
  private static String duplicateKey(DecodeException e) {
    if (e.getCause() instanceof StreamReadException read && read.getProcessor() != null
      && String.valueOf(read.getOriginalMessage()).startsWith("Duplicate field")) {
      String pointer = read.getProcessor().getParsingContext().pathAsPointer().toString();
      return pointer.isEmpty() ? null : pointer.substring(1).replace('/', '.');
    }
    return null;
  }

  /**
   * What is wrong with the JSON, with its position, on one line: a key given twice by its path,
   * else Jackson's reason. Its quote of an unrecognized token is left out: it could be the
   * unquoted web token.
   */
  private static String jsonProblem(DecodeException e) {
    String message = String.valueOf(e.getMessage());
    Matcher at = LOCATION.matcher(message);
    String position = at.find() ? " at line " + at.group(1) + ", column " + at.group(2) : "";
    String duplicate = duplicateKey(e);
    if (duplicate != null) {
      return "duplicate key " + duplicate + position + ": each key may be given once";
    }
    String reason = message.split("\n", 2)[0]
      .replaceFirst("^Failed to decode:\\s*", "")
      .replaceFirst("^Unrecognized token '[^']*'", "Unrecognized token");
    return "not valid JSON (" + oneLine(reason) + position + ")";
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").trim();
  }

  private static ConfigKey key(String path, Type type, Object fallback, Rule rule) {
    return key(path, type, fallback, rule, null);
  }

  private static ConfigKey key(String path, Type type, Object fallback, Rule rule, Function<Map<String, Object>, Object> auto) {
    int dot = path.indexOf('.');
    return new ConfigKey(path.substring(0, dot), path.substring(dot + 1), type, fallback, rule, auto, false);
  }

  private static ConfigKey text(String path, String fallback, Rule rule) {
    return key(path, Type.STRING, fallback, rule);
  }

  /** An int key whose default, "auto", is computed from keys before it. */
  private static ConfigKey derived(String path, Rule rule, Function<Map<String, Object>, Object> auto) {
    return key(path, Type.INT, AUTO, rule, auto);
  }
}
