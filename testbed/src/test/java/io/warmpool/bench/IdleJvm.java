package io.warmpool.bench;

/**
 * A JVM that does nothing until it is killed: started with a Java child's options, it is the
 * floor an idle child's memory is held to ({@link PoolBenchmark}).
 */
public final class IdleJvm {

  public static void main(String[] args) throws InterruptedException {
    System.out.println("up");
    Thread.sleep(Long.MAX_VALUE);
  }

  private IdleJvm() {
  }
}
