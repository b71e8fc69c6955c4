package io.warmpool.child;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The child's one work thread: order, reuse, what an interrupt reaches, and a stop. */
@Timeout(30)
class WorkThreadTest {

  private final WorkThread work = new WorkThread();

  @AfterEach
  void stopIt() {
    work.stop();
    work.awaitEnd();
  }

  @Test
  void tasksRunInTheirOrderOnOneThread() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    List<Thread> threads = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> last = new CompletableFuture<>();
    for (int i = 0; i < 50; i++) {
      String name = "task-" + i;
      work.execute(() -> {
        ran.add(name);
        threads.add(Thread.currentThread());
      });
    }
    work.execute(() -> last.complete(null));
    last.get(10, TimeUnit.SECONDS);

    assertThat(ran).hasSize(50).startsWith("task-0", "task-1").endsWith("task-49");
    assertThat(threads).containsOnly(threads.get(0));
  }

  @Test
  void anInterruptATaskLeftBehindDoesNotReachTheNext() throws Exception {
    CompletableFuture<Boolean> nextInterrupted = new CompletableFuture<>();
    work.execute(() -> Thread.currentThread().interrupt());
    work.execute(() -> nextInterrupted.complete(Thread.currentThread().isInterrupted()));

    assertThat(nextInterrupted.get(10, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void stopInterruptsTheRunningTask() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
    work.execute(() -> {
      running.countDown();
      try {
        Thread.sleep(600_000);
        interrupted.complete(false);
      } catch (InterruptedException e) {
        interrupted.complete(true);
      }
    });
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    work.stop();

    assertThat(interrupted.get(10, TimeUnit.SECONDS)).isTrue();
  }

  /** A job whose {@code started} has gone out must run, interrupted, so its end comes before {@code exiting}. */
  @Test
  void aTaskHandedOverBeforeTheStopRunsInterrupted() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Boolean> secondInterrupted = new CompletableFuture<>();
    work.execute(() -> awaitUninterruptibly(release));
    work.execute(() -> secondInterrupted.complete(Thread.currentThread().isInterrupted()));

    work.stop();
    release.countDown();

    assertThat(secondInterrupted.get(10, TimeUnit.SECONDS)).as("the task handed over before the stop ran, interrupted").isTrue();
    work.awaitEnd();
  }

  @Test
  void aTaskThatThrowsIsReportedAndTheThreadRunsTheNext() throws Exception {
    CompletableFuture<Throwable> reported = new CompletableFuture<>();
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, error) -> reported.complete(error));
    try {
      CompletableFuture<Void> next = new CompletableFuture<>();
      work.execute(() -> {
        throw new IllegalStateException("escaped");
      });
      work.execute(() -> next.complete(null));

      assertThat(reported.get(10, TimeUnit.SECONDS)).hasMessage("escaped");
      next.get(10, TimeUnit.SECONDS);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
  }

  @Test
  void stopWhenIdleEndsTheThread() {
    work.stop();
    work.awaitEnd();
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean done = false;
    while (!done) {
      try {
        done = latch.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException keepWaiting) {
        // the stop's interrupt reaches this task too; it still waits to be released
      }
    }
  }
}
