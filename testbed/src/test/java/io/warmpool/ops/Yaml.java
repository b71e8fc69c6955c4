package io.warmpool.ops;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** deploy/'s YAML files as plain maps and lists, and the few casts that walking them takes. */
final class Yaml {

  private Yaml() {
  }

  /** Every document of a file (a manifest may hold several). */
  static List<Map<String, Object>> documents(Path file) throws IOException {
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Object document : yaml().loadAll(Files.readString(file))) {
      if (document != null) {
        documents.add(map(document));
      }
    }
    return documents;
  }

  /** The file's one document. */
  static Map<String, Object> document(Path file) throws IOException {
    List<Map<String, Object>> documents = documents(file);
    if (documents.size() != 1) {
      throw new IllegalStateException(file + " holds " + documents.size() + " documents, not one");
    }
    return documents.get(0);
  }

  static String dump(Object document) {
    return yaml().dump(document);
  }

  /** The value at a path of keys, each step a map; null where a step is missing. */
  static Object at(Object node, String... keys) {
    Object current = node;
    for (String key : keys) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    if (!(node instanceof Map)) {
      throw new IllegalStateException("not a mapping: " + node);
    }
    return (Map<String, Object>) node;
  }

  static List<Map<String, Object>> maps(Object node) {
    if (node == null) {
      return List.of();
    }
    if (!(node instanceof List<?> list)) {
      throw new IllegalStateException("not a sequence: " + node);
    }
    return list.stream().<Map<String, Object>>map(Yaml::map).toList();
  }

  private static org.yaml.snakeyaml.Yaml yaml() {
    return new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions()));
  }
}
