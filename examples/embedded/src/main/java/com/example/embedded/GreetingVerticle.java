package com.example.embedded;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.warmpool.config.WorkerConfig;
import io.warmpool.embed.JobOutcome;
import io.warmpool.embed.JobRejectedException;
import io.warmpool.embed.Warmpool;
import io.warmpool.embed.WarmpoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code greetings.make} ({@code {"name":"Ada"}}) with a greeting made by a job in a warm
 * process of its own pool: the demo's {@code echo} job here, your own entrypoint in a real
 * application ({@code child.entrypoint}, {@code child.classpath}).
 */
public class GreetingVerticle extends VerticleBase {

  public static final String ADDRESS = "greetings.make";
  private static final Logger LOG = LoggerFactory.getLogger(GreetingVerticle.class);

  private Warmpool pool;

  @Override
  public Future<?> start() throws Exception {
    WorkerConfig config = WorkerConfig.builder()
      // the pool's addresses are greetings.pool.*: another pool in this Vert.x would have its own
      .set("bus.prefix", "greetings.pool")
      .set("pool.maxIdle", 1)
      // its load is its own jobs, not the machine's CPU, which the application shares
      .set("load.source", "jobs")
      // what the deployment says wins: vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(...))
      .json(config().getJsonObject("warmpool", new JsonObject()))
      .build();
    // the pool is deployed as this verticle's child: undeploying this verticle drains it, then
    // stops its processes
    return Warmpool.deploy(vertx, new WarmpoolOptions().setConfig(config))
      .compose(deployed -> {
        pool = deployed;
        return vertx.eventBus().<JsonObject>consumer(ADDRESS, this::greet).completion();
      });
  }

  private void greet(Message<JsonObject> request) {
    String name = request.body().getString("name", "world");
    JsonObject payload = new JsonObject().put("op", "echo").put("value", "hello, " + name).put("outputs", 1);
    pool.client().submit(payload)
      .compose(job -> {
        // the job's events, in order; a slow reader would pause() this stream
        job.events().handler(event -> LOG.info("job {}: {} (seq {})", job.jobId(), event.type(), event.seq()));
        return job.outcome();
      })
      .onSuccess(outcome -> {
        if (outcome.state() == JobOutcome.State.COMPLETED) {
          request.reply(new JsonObject().put("greeting", ((JsonObject) outcome.result()).getString("value")));
        } else {
          request.fail(500, "the job ended " + outcome.state() + ": " + outcome.reason() + " " + outcome.message());
        }
      })
      // turned down (full, capacity, draining...): nothing ran, the caller may try again later
      .onFailure(err -> request.fail(err instanceof JobRejectedException ? 503 : 500, err.getMessage()));
  }
}
