package io.warmpool.pool;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReservationsTest {

  @Test
  void aReservationFadesAsTheAverageSeesTheJob() {
    Reservations reservations = new Reservations(4);
    reservations.add("a");
    assertThat(reservations.slots()).isEqualTo(1.0);
    reservations.onSample();
    assertThat(reservations.slots()).isCloseTo(0.75, within(1e-9));
    reservations.onSample();
    reservations.onSample();
    assertThat(reservations.slots()).isCloseTo(0.25, within(1e-9));
    reservations.onSample();
    assertThat(reservations.slots()).isZero();
  }

  @Test
  void reservationsAddUp() {
    Reservations reservations = new Reservations(1);
    reservations.add("a");
    reservations.add("b");
    assertThat(reservations.slots()).isEqualTo(2.0);
    reservations.onSample();
    assertThat(reservations.slots()).isZero();
  }

  @Test
  void anEndedJobReleasesWhatIsLeftOfItsReservation() {
    Reservations reservations = new Reservations(4);
    reservations.add("a");
    reservations.add("b");
    reservations.onSample();

    reservations.release("a");

    assertThat(reservations.slots()).isCloseTo(0.75, within(1e-9));
    reservations.release("a");
    reservations.release("never-reserved");
    assertThat(reservations.slots()).isCloseTo(0.75, within(1e-9));
  }
}
