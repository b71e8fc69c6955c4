package io.warmpool.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The records of {@link WorkerConfig} as the key table sees them: built through their canonical
 * constructors from resolved keys, read back component by component, and checked to describe
 * the same keys as the table, so that adding a key to one and not the other fails at start.
 */
final class ConfigRecords {

  private ConfigRecords() {
  }

  /** Builds the records through their canonical constructors, each component from the key of its name. */
  static WorkerConfig build(Map<String, Object> resolved) {
    return (WorkerConfig) construct(WorkerConfig.class,
      section -> construct(section.getType(), component -> resolved.get(section.getName() + "." + component.getName())));
  }

  private static Object construct(Class<?> type, Function<RecordComponent, Object> argument) {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] arguments = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      arguments[i] = argument.apply(components[i]);
    }
    try {
      Constructor<?> constructor = type.getDeclaredConstructor(types);
      return constructor.newInstance(arguments);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getName(), e);
    }
  }

  static Object read(RecordComponent component, Object record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + component, e);
    }
  }

  /** The table and the records must describe the same keys: a mismatch is a bug, found at class load. */

  static void checkMatch(Map<String, Map<String, ConfigKey>> sections, List<ConfigKey> keys) {
    Set<String> paths = new LinkedHashSet<>();
    for (RecordComponent section : WorkerConfig.class.getRecordComponents()) {
      for (RecordComponent component : section.getType().getRecordComponents()) {
        String path = section.getName() + "." + component.getName();
        Map<String, ConfigKey> inSection = sections.get(section.getName());
        ConfigKey key = inSection == null ? null : inSection.get(component.getName());
        if (key == null || key.type().javaType != component.getType()) {
          throw new IllegalStateException("WorkerConfig." + path + " has no key of type " + component.getType() + " in ConfigLoader");
        }
        paths.add(path);
      }
    }
    for (ConfigKey key : keys) {
      if (!paths.contains(key.path())) {
        throw new IllegalStateException("ConfigLoader key " + key.path() + " has no component in WorkerConfig");
      }
    }
  }
}
