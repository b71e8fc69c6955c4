package io.warmpool.load;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobsLoadSourceTest {

  @Test
  void isActiveJobsOverMaxJobs() {
    AtomicInteger active = new AtomicInteger();
    JobsLoadSource source = new JobsLoadSource(active::get, 4);

    assertThat(source.name()).isEqualTo("jobs");
    assertThat(source.loadPerJobHint()).isEqualTo(0.25);
    assertThat(source.sample()).isZero();
    active.set(3);
    assertThat(source.sample()).isEqualTo(0.75);
    active.set(6);
    assertThat(source.sample()).as("left to the clamp").isEqualTo(1.5);
  }

  @Test
  void rejectsMaxJobsBelowOne() {
    assertThatThrownBy(() -> new JobsLoadSource(() -> 0, 0))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("load.maxJobs");
  }
}
