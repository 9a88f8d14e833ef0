package dev.portreservation.windows;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.test.PortReservationsContract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The backend contract on real Windows, through {@code ws2_32.dll} and {@code iphlpapi.dll} (run by
 * {@code .github/workflows/windows.yml}). Persistent blocks are tested only when the JVM runs elevated.
 */
@EnabledOnOs(value = OS.WINDOWS, disabledReason = "needs the real ws2_32.dll and iphlpapi.dll; on Linux the "
		+ "same contract runs on the simulator in WindowsOnSimulatorTests")
class WindowsOnRealWindowsTests extends PortReservationsContract {

	private static Boolean elevated;

	private final WindowsPortReservations backend = new WindowsPortReservations();

	@BeforeEach
	void checkElevationOnce() {
		synchronized (WindowsOnRealWindowsTests.class) {
			if (elevated == null) {
				elevated = probePersistentCreate();
			}
		}
	}

	@Override
	protected PortReservations backend() {
		return this.backend;
	}

	@Override
	protected boolean persistentSupported() {
		assumeThat(elevated).as("persistent port reservations need an elevated administrator; this JVM is not "
				+ "elevated").isTrue();
		return true;
	}

	@Override
	protected PortBlock freeBlock(int count) {
		// Windows chooses a block no one holds; hand it back and test on it.
		for (int attempt = 0; attempt < 10; attempt++) {
			PortBlock block;
			try (PortReservation probe = this.backend.acquireRuntime(Protocol.TCP, count)) {
				block = probe.block();
			}
			try (PortReservation udp = this.backend.acquireRuntime(Protocol.UDP, block)) {
				return block;
			}
			catch (PortReservationException ex) {
				// Taken for UDP: try another block.
			}
		}
		throw new IllegalStateException("No block of " + count + " ports free for both TCP and UDP");
	}

	@Test
	void createWithoutElevationIsAccessDeniedWithTheNativeCode() {
		assumeThat(elevated).as("only a JVM that is not elevated is refused").isFalse();
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.createPersistent(Protocol.TCP, freeBlock(2)))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.ACCESS_DENIED);
				assertThat(ex.getNativeCode()).contains(5L);
			});
	}

	private boolean probePersistentCreate() {
		PortBlock block = freeBlock(1);
		try {
			this.backend.createPersistent(Protocol.TCP, block).close();
			this.backend.deletePersistent(Protocol.TCP, block);
			return true;
		}
		catch (PortReservationException ex) {
			if (ex.getReason() == Reason.ACCESS_DENIED) {
				return false;
			}
			throw ex;
		}
	}

}
