package dev.portreservation.core.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservationListener;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Listeners are told each on its own: one that throws neither stops the others nor
 * reaches the caller, except for the JVM's own errors.
 */
class ReservationListenersTests {

	private final ReservationListeners listeners = new ReservationListeners(() -> "the reservation");

	@Test
	void aListenerThatThrowsDoesNotStopTheOthers() {
		List<String> heard = new ArrayList<>();
		this.listeners.add(new PortReservationListener() {

			@Override
			public void bound(PortLease lease, long nanos) {
				throw new IllegalStateException("broken listener");
			}

		});
		this.listeners.add(new PortReservationListener() {

			@Override
			public void bound(PortLease lease, long nanos) {
				heard.add("bound " + lease.port());
			}

			@Override
			public void released(PortLease lease) {
				heard.add("released " + lease.port());
			}

		});
		this.listeners.bound(lease(40001), 10);
		this.listeners.released(List.of(lease(40001), lease(40002)));
		assertThat(heard).containsExactly("bound 40001", "released 40001", "released 40002");
	}

	@Test
	void errorsOfTheJvmPassThrough() {
		this.listeners.add(new PortReservationListener() {

			@Override
			public void released(PortLease lease) {
				throw new OutOfMemoryError("simulated");
			}

		});
		assertThatExceptionOfType(OutOfMemoryError.class)
			.isThrownBy(() -> this.listeners.released(List.of(lease(40001))));
	}

	@Test
	void aRemovedListenerHearsNothing() {
		List<PortLease> heard = new ArrayList<>();
		PortReservationListener listener = new PortReservationListener() {

			@Override
			public void bound(PortLease lease, long nanos) {
				heard.add(lease);
			}

		};
		this.listeners.add(listener);
		this.listeners.remove(listener);
		this.listeners.bound(lease(40001), 10);
		assertThat(heard).isEmpty();
	}

	private static PortLease lease(int port) {
		return new PortLease(port, "application", Instant.now());
	}

}
