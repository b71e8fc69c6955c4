package io.warmpool.child;

/** Makes the entrypoint named by {@code initialize}. */
final class EntrypointLoader {

  static Entrypoint load(Object name) throws Exception {
    if (!(name instanceof String) || ((String) name).isBlank()) {
      throw new IllegalArgumentException("initialize names no entrypoint class");
    }
    String className = (String) name;
    Class<?> type = Class.forName(className, true, EntrypointLoader.class.getClassLoader());
    if (!Entrypoint.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(className + " does not implement " + Entrypoint.class.getName());
    }
    try {
      return (Entrypoint) type.getConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(className + " has no public no-argument constructor");
    }
  }

  private EntrypointLoader() {
  }
}
