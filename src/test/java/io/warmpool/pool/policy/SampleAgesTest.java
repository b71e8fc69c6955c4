package io.warmpool.pool.policy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SampleAgesTest {

  @Test
  void aJobFadesAsTheAverageSeesIt() {
    SampleAges ages = new SampleAges(4);
    ages.add("a");
    assertThat(ages.leftInWindow()).isEqualTo(1.0);
    ages.onSample();
    assertThat(ages.leftInWindow()).isCloseTo(0.75, within(1e-9));
    ages.onSample();
    ages.onSample();
    assertThat(ages.leftInWindow()).isCloseTo(0.25, within(1e-9));
    assertThat(ages.count()).isEqualTo(1);
    ages.onSample();
    assertThat(ages.leftInWindow()).isZero();
    assertThat(ages.count()).as("forgotten once the window has seen it").isZero();
  }

  @Test
  void jobsAddUp() {
    SampleAges ages = new SampleAges(1);
    ages.add("a");
    ages.add("b");
    assertThat(ages.leftInWindow()).isEqualTo(2.0);
    assertThat(ages.count()).isEqualTo(2);
    ages.onSample();
    assertThat(ages.leftInWindow()).isZero();
  }

  @Test
  void aRemovedJobTakesWhatIsLeftOfItWithIt() {
    SampleAges ages = new SampleAges(4);
    ages.add("a");
    ages.add("b");
    ages.onSample();

    ages.remove("a");

    assertThat(ages.leftInWindow()).isCloseTo(0.75, within(1e-9));
    ages.remove("a");
    ages.remove("never-added");
    assertThat(ages.leftInWindow()).isCloseTo(0.75, within(1e-9));
  }

  /** Jobs of every age at once, added again, removed and aged out: what is left is each one's share, added up. */
  @Test
  void jobsOfManyAgesAddUp() {
    SampleAges ages = new SampleAges(4);
    ages.add("a");
    ages.onSample();
    ages.add("b");
    ages.onSample();
    ages.add("c");
    ages.add("a");
    ages.onSample();

    // a: added again 1 sample ago (3/4), b: 2 samples ago (2/4), c: 1 sample ago (3/4)
    assertThat(ages.leftInWindow()).isCloseTo(2.0, within(1e-9));
    ages.remove("b");
    ages.onSample();
    ages.onSample();
    ages.onSample();
    // a and c are 4 samples old: wholly seen, forgotten
    assertThat(ages.count()).isZero();
    assertThat(ages.leftInWindow()).isZero();
  }
}
