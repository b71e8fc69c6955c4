package io.warmpool.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The publishers behind a job's events and the pool state: demand, buffers and their overflow. */
class BroadcastTest {

  private final ExecutorService delivery = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    delivery.shutdownNow();
  }

  private Broadcast<Integer> events(int capacity) {
    return Broadcast.heldForFirst(delivery, capacity, last -> new IllegalStateException("overflow after " + last));
  }

  @Test
  void aSubscriberGetsNoMoreThanItRequestedInOrder() throws Exception {
    Broadcast<Integer> events = events(100);
    TestSubscriber<Integer> subscriber = new TestSubscriber<>(0);
    events.subscribe(subscriber);
    IntStream.rangeClosed(1, 10).forEach(events::publish);

    subscriber.request(3);
    subscriber.awaitItems(3);
    subscriber.request(2);
    subscriber.awaitItems(5);
    // nothing more comes until requested: the next request shows whether any item slipped through
    assertThat(subscriber.items).containsExactly(1, 2, 3, 4, 5);
    subscriber.request(Long.MAX_VALUE);
    events.complete();
    subscriber.awaitEnd();
    assertThat(subscriber.items).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(subscriber.completed).isTrue();
    assertThat(subscriber.violations).isEmpty();
  }

  @Test
  void whatComesBeforeTheFirstSubscriberIsHeldForItAndALaterOneStartsFromItsSubscription() throws Exception {
    Broadcast<Integer> events = events(100);
    events.publish(1);
    events.publish(2);
    TestSubscriber<Integer> first = TestSubscriber.unbounded();
    events.subscribe(first);
    first.awaitItems(2);
    TestSubscriber<Integer> second = TestSubscriber.unbounded();
    events.subscribe(second);
    events.publish(3);
    events.complete();

    first.awaitEnd();
    second.awaitEnd();
    assertThat(first.items).containsExactly(1, 2, 3);
    assertThat(second.items).containsExactly(3);
  }

  @Test
  void aFullBufferGivesEveryBufferedItemThenTheOverflowError() throws Exception {
    Broadcast<Integer> events = events(4);
    TestSubscriber<Integer> subscriber = new TestSubscriber<>(0);
    events.subscribe(subscriber);
    IntStream.rangeClosed(1, 10).forEach(events::publish);

    subscriber.request(Long.MAX_VALUE);
    subscriber.awaitEnd();
    assertThat(subscriber.items).containsExactly(1, 2, 3, 4);
    assertThat(subscriber.error).hasMessage("overflow after 4");
    assertThat(subscriber.violations).isEmpty();
  }

  @Test
  void aFullStateBufferDropsItsOldestAndANewSubscriberStartsFromTheLatest() throws Exception {
    AtomicInteger subscribers = new AtomicInteger();
    Broadcast<Integer> states = Broadcast.latestFirst(delivery, 3, subscribers::set);
    TestSubscriber<Integer> slow = new TestSubscriber<>(0);
    states.subscribe(slow);
    assertThat(subscribers.get()).isEqualTo(1);
    IntStream.rangeClosed(1, 10).forEach(states::publish);
    slow.request(Long.MAX_VALUE);
    slow.awaitItems(3);
    TestSubscriber<Integer> late = TestSubscriber.unbounded();
    states.subscribe(late);
    late.awaitItems(1);

    assertThat(slow.items).containsExactly(8, 9, 10);
    assertThat(late.items).containsExactly(10);
    late.subscription.cancel();
    slow.subscription.cancel();
    assertThat(subscribers.get()).isZero();
  }

  @Test
  void aNonPositiveRequestEndsTheSubscriptionWithAnError() throws Exception {
    Broadcast<Integer> events = events(10);
    TestSubscriber<Integer> subscriber = new TestSubscriber<>(0);
    events.subscribe(subscriber);
    events.publish(1);
    subscriber.request(0);
    subscriber.awaitEnd();
    assertThat(subscriber.error).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    assertThat(subscriber.items).isEmpty();
  }

  @Test
  void aCancelledSubscriberGetsNothingMore() throws Exception {
    Broadcast<Integer> events = events(10);
    TestSubscriber<Integer> subscriber = TestSubscriber.unbounded();
    events.subscribe(subscriber);
    events.publish(1);
    subscriber.awaitItems(1);
    subscriber.subscription.cancel();
    events.publish(2);
    events.complete();
    // a second subscriber's end shows the publisher has handed out everything
    TestSubscriber<Integer> witness = TestSubscriber.unbounded();
    events.subscribe(witness);
    witness.awaitEnd();

    assertThat(subscriber.items).containsExactly(1);
    assertThat(subscriber.completed).isFalse();
  }

  @Test
  void aSubscriberAfterTheEndIsToldAtOnce() throws Exception {
    Broadcast<Integer> events = events(10);
    TestSubscriber<Integer> first = TestSubscriber.unbounded();
    events.subscribe(first);
    events.fail(new IllegalStateException("lost"));
    first.awaitEnd();
    TestSubscriber<Integer> late = TestSubscriber.unbounded();
    events.subscribe(late);
    late.awaitEnd();
    assertThat(List.of(first.error.getMessage(), late.error.getMessage())).containsOnly("lost");
  }
}
