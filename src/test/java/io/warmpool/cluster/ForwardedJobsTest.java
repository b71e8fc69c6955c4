package io.warmpool.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardedJobsTest {

  @Test
  void aJobIsTrackedFromItsForwardToItsTerminalEvent() {
    ForwardedJobs jobs = new ForwardedJobs();
    jobs.forwarding("j1", "b");
    assertThat(jobs.nodeOf("j1")).isEqualTo("b");
    assertThat(jobs.accepted("j1")).isFalse();

    jobs.ended("j1");

    assertThat(jobs.contains("j1")).isFalse();
    assertThat(jobs.nodeLeft("b")).isEmpty();
  }

  @Test
  void aNodeThatLeavesLosesItsAcceptedJobsOnce() {
    ForwardedJobs jobs = new ForwardedJobs();
    jobs.forwarding("j1", "b");
    jobs.forwarding("j2", "b");
    jobs.forwarding("j3", "c");
    jobs.accepted("j1");
    jobs.accepted("j2");
    jobs.accepted("j3");

    assertThat(jobs.nodeLeft("b")).containsExactlyInAnyOrder("j1", "j2");
    assertThat(jobs.nodeLeft("b")).as("once").isEmpty();
    assertThat(jobs.nodeOf("j3")).isEqualTo("c");
    assertThat(jobs.size()).isEqualTo(1);
  }

  @Test
  void aRejectedForwardIsForgotten() {
    ForwardedJobs jobs = new ForwardedJobs();
    jobs.forwarding("j1", "b");
    jobs.notAccepted("j1");

    assertThat(jobs.contains("j1")).isFalse();
    assertThat(jobs.nodeLeft("b")).isEmpty();
  }

  @Test
  void aNodeThatLeavesBeforeItsAcceptArrivesLosesTheJobWhenItDoes() {
    ForwardedJobs jobs = new ForwardedJobs();
    jobs.forwarding("j1", "b");
    jobs.forwarding("j2", "b");

    assertThat(jobs.nodeLeft("b")).isEmpty();
    assertThat(jobs.accepted("j1")).as("lost").isTrue();
    assertThat(jobs.contains("j1")).isFalse();
    jobs.notAccepted("j2");
    assertThat(jobs.size()).isZero();
  }

  @Test
  void eventsThatOvertakeTheAcceptLeaveNothingBehind() {
    ForwardedJobs jobs = new ForwardedJobs();
    jobs.forwarding("j1", "b");
    jobs.ended("j1");

    assertThat(jobs.accepted("j1")).isFalse();
    assertThat(jobs.size()).isZero();
  }
}
