package dev.portreservation.windows;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;
import dev.portreservation.test.PortReservationsContract;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backend contract, kept by {@link WindowsPortReservations} through JNA on the
 * Windows API simulator, runtime and persistent (elevated).
 */
class WindowsOnSimulatorTests extends PortReservationsContract<WindowsPortReservations> {

	WindowsOnSimulatorTests() {
		super(WindowsSimulator::backend);
	}

	@BeforeEach
	void loadBackendOnSimulator() {
		WindowsSimulator.assumeAvailable();
		assertThat(WindowsSimulator.controls().winsim_runtime_count()).as("runtime reservations left from before")
			.isZero();
		WindowsSimulator.reset(true);
	}

	@Override
	protected PortBlock freeBlock(int count) {
		return WindowsSimulator.freeBlock(backend(), count);
	}

	@Test
	void theTokenIsLookedUpOnEveryOpenBecauseItChangesAcrossReboots() throws Exception {
		PortBlock block = freeBlock(2);
		long before;
		try (PortReservation created = backend().lookupOrCreatePersistent(Protocol.TCP, block)) {
			before = created.token();
		}
		// A reboot keeps the block but may give it a new token: the simulator's is a
		// delete and a create.
		backend().deletePersistent(Protocol.TCP, block);
		long after;
		try (PortReservation recreated = backend().createPersistent(Protocol.TCP, block)) {
			after = recreated.token();
		}
		assertThat(after).isNotEqualTo(before);
		try (PortReservation reopened = backend().lookupOrCreatePersistent(Protocol.TCP, block)) {
			assertThat(reopened.createdByThisProcess()).isFalse();
			assertThat(reopened.token()).isEqualTo(after);
			assertThat(reopened.bind(serverChannel(), LOOPBACK, 0)).isBetween(block.startPort(), block.endPort());
		}
		finally {
			backend().deletePersistent(Protocol.TCP, block);
		}
	}

}
