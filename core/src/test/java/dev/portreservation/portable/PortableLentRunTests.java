package dev.portreservation.portable;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.portreservation.core.LentPort;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link PortReservation#lendRun}: a run of consecutive free ports under one name, the
 * lowest that fits, skipping leased and ineligible ports; nothing is left lent when no
 * run fits.
 */
class PortableLentRunTests {

	private final PortablePortReservations backend = new PortablePortReservations();

	@Test
	void aRunIsTheLowestConsecutiveFreeEligiblePortsUnderOneName() {
		try (PortReservation reservation = this.backend.acquireRuntime(Protocol.TCP, 8)) {
			int start = reservation.block().startPort();
			LentPort single = reservation.lend("single");
			assertThat(single.port()).isEqualTo(start);
			List<LentPort> run = reservation.lendRun("passive", 3, (port) -> port != start + 2);
			assertThat(run).extracting(LentPort::port).containsExactly(start + 3, start + 4, start + 5);
			assertThat(reservation.leases()).filteredOn((lease) -> lease.owner().equals("passive"))
				.extracting(PortLease::port)
				.containsExactly(start + 3, start + 4, start + 5);
			run.forEach(LentPort::close);
			reservation.refresh();
			assertThat(reservation.leases()).extracting(PortLease::owner).containsExactly("single");
		}
	}

	@Test
	void noRunThatFitsIsExhaustedAndLeavesNothingLent() {
		try (PortReservation reservation = this.backend.acquireRuntime(Protocol.TCP, 4)) {
			int start = reservation.block().startPort();
			reservation.lend("middle", (port) -> port == start + 2);
			assertThatExceptionOfType(PortReservationException.class)
				.isThrownBy(() -> reservation.lendRun("run", 3, (port) -> true))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.EXHAUSTED))
				.withMessageContaining("No run of 3 consecutive free ports");
			assertThat(reservation.leases()).extracting(PortLease::owner).containsExactly("middle");
			assertThatExceptionOfType(PortReservationException.class)
				.isThrownBy(() -> reservation.lendRun("run", 0, (port) -> true))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.INVALID));
		}
	}

}
