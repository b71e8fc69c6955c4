package io.warmpool.load;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.warmpool.bus.Addresses;
import io.warmpool.config.WorkerConfig;

import java.util.function.IntSupplier;

/**
 * Measures this node's load and publishes it on {@code <prefix>.load}: makes the source
 * {@code load.source} names, runs the {@link LoadTimer} over it, and stops both with the
 * deployment. The pool deploys it itself, so a pool verticle deployed on its own, as an
 * application embedding it would, is fed load samples like a whole worker's.
 */
public final class LoadVerticle extends VerticleBase {

  private final WorkerConfig.Load config;
  private final Addresses addresses;
  private final IntSupplier activeJobs;
  private LoadTimer timer;

  /**
   * @param addresses  the pool's: samples go to its {@code load}, an external source listens at its {@code load.external}
   * @param activeJobs the jobs waiting or running now, for the {@code jobs} source; read on a
   *                   worker thread, so it must be a thread-safe read (a volatile field)
   */
  public LoadVerticle(WorkerConfig.Load config, Addresses addresses, IntSupplier activeJobs) {
    this.config = config;
    this.addresses = addresses;
    this.activeJobs = activeJobs;
  }

  @Override
  public Future<?> start() {
    return LoadSources.create(vertx, config.source(), config.maxJobs(), activeJobs, addresses)
      .compose(source -> {
        timer = new LoadTimer(vertx, source, config.intervalMs(), config.window(), addresses.load());
        return timer.start();
      });
  }

  @Override
  public Future<?> stop() {
    return timer == null ? Future.succeededFuture() : timer.stop();
  }
}
