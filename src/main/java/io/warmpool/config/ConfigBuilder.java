package io.warmpool.config;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link WorkerConfig} made in code ({@link WorkerConfig#builder()}), from the same keys, rules
 * and messages as the worker's file: each layer over the one before, then every key checked.
 * <ol>
 *   <li>the defaults;</li>
 *   <li>the {@link #file(Path) file}, if one is named;</li>
 *   <li>the values {@link #set set} in code, and the sections of {@link #json(JsonObject)}, in
 *       the order given;</li>
 *   <li>the {@link #environment(Map) environment}'s {@code WARMPOOL_<SECTION>_<KEY>} variables,
 *       if given: an operator's word over the application's.</li>
 * </ol>
 * Keys are named as in the file ({@code "pool.maxIdle"}); a key that does not exist fails
 * {@link #build()} with the nearest one, a value that is not allowed with what is.
 */
public final class ConfigBuilder {

  private Path file;
  private final List<ConfigLoader.Layer> inCode = new ArrayList<>();
  private Map<String, String> environment = Map.of();

  ConfigBuilder() {
  }

  /** Reads this JSON file (as {@code --conf} does) under the values set in code. */
  public ConfigBuilder file(Path file) {
    this.file = file;
    return this;
  }

  /**
   * Sets one key, {@code "section.name"}, to a JSON value: a string, number, boolean,
   * {@code null}, a {@link java.util.List} or {@link io.vertx.core.json.JsonArray}, a
   * {@link Map} or {@link JsonObject}. A name without a dot sets a whole section, as an object.
   */
  public ConfigBuilder set(String key, Object value) {
    int dot = key.indexOf('.');
    JsonObject sections = dot < 0
      ? new JsonObject().put(key, value)
      : new JsonObject().put(key.substring(0, dot), new JsonObject().put(key.substring(dot + 1), value));
    inCode.add(ConfigLoader.Layer.inCode(sections));
    return this;
  }

  /**
   * Sets the keys of a JSON object of sections, as the file has them
   * ({@code {"pool":{"maxIdle":2}}}): a verticle's own {@code config()}, for instance. A section
   * given in part keeps its other keys.
   */
  public ConfigBuilder json(JsonObject sections) {
    inCode.add(ConfigLoader.Layer.inCode(sections.copy()));
    return this;
  }

  /** Applies {@code WARMPOOL_<SECTION>_<KEY>} variables of {@code env} (e.g. {@code System.getenv()}) over everything else. */
  public ConfigBuilder environment(Map<String, String> env) {
    this.environment = Map.copyOf(env);
    return this;
  }

  /**
   * @throws ConfigException with one line naming the key, the value, where it was given and what
   *                         is allowed
   */
  public WorkerConfig build() throws ConfigException {
    List<ConfigLoader.Layer> layers = new ArrayList<>();
    if (file != null) {
      layers.add(ConfigLoader.fileLayer(file));
    }
    layers.addAll(inCode);
    return ConfigLoader.resolve(layers, environment);
  }
}
