package io.warmpool.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "Did you mean …?" for a section or key that is not known: the closest by edit distance,
 * ignoring case and underscores, within two edits; a key put in the wrong section is found by
 * its name anywhere.
 */
final class NearMiss {

  private NearMiss() {
  }

  /** " (did you mean X?)" for a near miss of a section ({@code name == null}) or a key, else "". */
  static String suggest(Map<String, Map<String, ConfigKey>> sections, List<ConfigKey> keys, String section, String name) {
    if (name == null) {
      String best = null;
      int bestDistance = 3;
      for (String candidate : sections.keySet()) {
        int d = distance(section, candidate);
        if (d < bestDistance) {
          best = candidate;
          bestDistance = d;
        }
      }
      return best == null ? "" : " (did you mean " + best + "?)";
    }
    ConfigKey near = nearest(sections, keys, section, name);
    return near == null ? "" : " (did you mean " + near.path() + "?)";
  }

  /** The key closest to {@code section.name}: first within the section, then the same name anywhere. */
  static ConfigKey nearest(Map<String, Map<String, ConfigKey>> sections, List<ConfigKey> keys, String section, String name) {
    ConfigKey best = null;
    int bestDistance = 3;
    for (ConfigKey key : sections.get(section).values()) {
      int d = distance(name, key.name());
      if (d < bestDistance) {
        best = key;
        bestDistance = d;
      }
    }
    if (best == null) {
      // a key put in the wrong section, e.g. web.maxIdle
      for (ConfigKey key : keys) {
        if (distance(name, key.name()) == 0) {
          return key;
        }
      }
    }
    return best;
  }

  /** Edit distance ignoring case and underscores, so that MAX_IDLE is near maxIdle. */
  private static int distance(String a, String b) {
    a = a.replace("_", "").toLowerCase(Locale.ROOT);
    b = b.replace("_", "").toLowerCase(Locale.ROOT);
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
