package io.warmpool.ops;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * deploy/kubernetes read as Kubernetes reads it: the Deployment's container, and its
 * environment resolved (values, the pod's fields, Secrets, {@code $(VAR)} references to the
 * variables before it), which is the worker's configuration beside the image's.
 */
final class KubernetesManifests {

  static final Path DIR = Path.of("deploy/kubernetes");
  private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  /** What the cluster would fill in: the pod's fields ({@code status.podIP}) and the Secrets' keys ({@code name/key}). */
  record Pod(Map<String, String> fields, Map<String, String> secrets) {
  }

  private KubernetesManifests() {
  }

  static Map<String, Object> manifest(String file) throws IOException {
    return Yaml.document(DIR.resolve(file));
  }

  /** The worker's container in a Deployment, or in a patch of one. */
  static Map<String, Object> container(Map<String, Object> deployment) {
    return Yaml.maps(Yaml.at(deployment, "spec", "template", "spec", "containers")).stream()
      .filter(c -> "warmpool".equals(c.get("name")))
      .findFirst().orElseThrow(() -> new IllegalStateException("no container named warmpool"));
  }

  /** The container's ports by name. */
  static Map<String, Integer> ports(Map<String, Object> container) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    Yaml.maps(container.get("ports")).forEach(p -> ports.put((String) p.get("name"), (Integer) p.get("containerPort")));
    return ports;
  }

  /**
   * The environment of the containers given, in order (a patch's entries after the
   * Deployment's), as the kubelet makes it: a later entry replaces an earlier one of the same
   * name, and {@code $(NAME)} is replaced by a variable defined before it.
   */
  @SafeVarargs
  static Map<String, String> environment(Pod pod, Map<String, Object>... containers) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Map<String, Object> container : containers) {
      for (Map<String, Object> entry : Yaml.maps(container.get("env"))) {
        String name = (String) entry.get("name");
        env.put(name, expand(value(pod, entry), env));
      }
    }
    return env;
  }

  private static String value(Pod pod, Map<String, Object> entry) {
    if (entry.containsKey("value")) {
      return String.valueOf(entry.get("value"));
    }
    Object field = Yaml.at(entry, "valueFrom", "fieldRef", "fieldPath");
    if (field != null) {
      return require(pod.fields(), (String) field, entry);
    }
    Map<String, Object> secret = Yaml.map(Yaml.at(entry, "valueFrom", "secretKeyRef"));
    return require(pod.secrets(), secret.get("name") + "/" + secret.get("key"), entry);
  }

  private static String require(Map<String, String> values, String key, Map<String, Object> entry) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalStateException("env " + entry.get("name") + " refers to " + key + ", which the test does not fill in");
    }
    return value;
  }

  private static String expand(String value, Map<String, String> defined) {
    Matcher reference = REFERENCE.matcher(value);
    StringBuilder expanded = new StringBuilder();
    while (reference.find()) {
      // an undefined reference stays as it is, as Kubernetes leaves it
      String replacement = defined.getOrDefault(reference.group(1), reference.group());
      reference.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
    }
    return reference.appendTail(expanded).toString();
  }

  /** Names of the Service ports, for a check that a targetPort names a container port. */
  static List<String> servicePortTargets(Map<String, Object> service) {
    return Yaml.maps(Yaml.at(service, "spec", "ports")).stream().map(p -> String.valueOf(p.get("targetPort"))).toList();
  }
}
