package io.warmpool.javachild;

import java.nio.file.Path;

/**
 * A class-data archive of a Java child's classes: the JVM maps it instead of loading, verifying
 * and linking those classes at every start, and children that map the same file share its pages.
 *
 * @param kind what made it, which decides the flag that uses it
 * @param file the archive
 */
public record ClassArchive(Kind kind, Path file) {

  public enum Kind {
    /** AppCDS (JDK 17 to 24): a list of the classes a training run loaded, then a dump. */
    APP_CDS(".jsa", "-XX:SharedArchiveFile="),
    /** The AOT cache (JDK 25 on): recorded and created by one training run, classes linked ahead too. */
    AOT_CACHE(".aot", "-XX:AOTCache=");

    private final String suffix;
    private final String flag;

    Kind(String suffix, String flag) {
      this.suffix = suffix;
      this.flag = flag;
    }

    /** The kind the given JDK release makes best. */
    public static Kind forRelease(int feature) {
      return feature >= 25 ? AOT_CACHE : APP_CDS;
    }

    String suffix() {
      return suffix;
    }
  }

  /** The JVM option that makes a child use this archive. */
  public String flag() {
    return kind.flag + file;
  }
}
