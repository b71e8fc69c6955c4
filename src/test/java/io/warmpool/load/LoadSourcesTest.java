package io.warmpool.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.warmpool.bus.Addresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class LoadSourcesTest {

  @Test
  void makesTheNamedSource(Vertx vertx, VertxTestContext testContext) {
    Future<LoadSource> jobs = LoadSources.create(vertx, "jobs", 4, () -> 2, Addresses.DEFAULT);
    Future<LoadSource> external = LoadSources.create(vertx, "external", 0, () -> 0, Addresses.DEFAULT);
    Future<LoadSource> cpu = LoadSources.create(vertx, "cpu", 0, () -> 0, Addresses.DEFAULT);
    Future.all(jobs, external, cpu).onComplete(testContext.succeeding(v -> testContext.verify(() -> {
      assertThat(jobs.result().sample()).isEqualTo(0.5);
      assertThat(external.result()).isInstanceOf(ExternalLoadSource.class);
      assertThat(cpu.result().name()).isEqualTo("cpu");
      assertThat(cpu.result()).isInstanceOfAny(CpuLoadSource.class, CgroupCpuLoadSource.class);
      external.result().close();
      testContext.completeNow();
    })));
  }

  @Test
  void anUnknownNameFailsWithWhatIsAllowed(Vertx vertx, VertxTestContext testContext) {
    LoadSources.create(vertx, "gpu", 0, () -> 0, Addresses.DEFAULT).onComplete(testContext.failing(e -> testContext.verify(() -> {
      assertThat(e).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("load.source")
        .hasMessageContaining("gpu")
        .hasMessageContaining("cpu, jobs, external");
      testContext.completeNow();
    })));
  }
}
