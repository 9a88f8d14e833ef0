package dev.portreservation.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.portreservation.core.PersistentDeletion;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A persistent block whose creator was killed ({@code kill -9}) against the real
 * {@code ip_local_reserved_ports}, in a private network namespace: the entry stays, the
 * next run that looks the block up becomes its creator, and that run's delete removes the
 * entry (a run with {@code delete-on-shutdown} deletes what it created).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PersistentLeftoversInNetnsTests {

	@TempDir
	Path stateDirectory;

	private String reservedBefore;

	private Process worker;

	@BeforeEach
	void requirePrivateNetworkNamespace() throws IOException {
		PrivateNetworkNamespace.require();
		this.reservedBefore = ProcFile.read(LinuxPortReservations.RESERVED_PORTS);
	}

	@AfterEach
	void restore() throws Exception {
		if (this.worker != null) {
			this.worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		if (this.reservedBefore != null) {
			// Null when the test was skipped outside a private namespace: nothing was
			// written.
			assertThat(ProcFile.read(LinuxPortReservations.RESERVED_PORTS)).isEqualTo(this.reservedBefore);
		}
	}

	@Test
	void aBlockLeftByAKilledRunIsDeletedByTheNextRun() throws Exception {
		PortBlock block = new PortBlock(42300, 4);
		this.worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), ReservationWorker.class.getName(), "persistent",
				this.stateDirectory.toString(), Integer.toString(block.startPort()), Integer.toString(block.count()))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		String bound = new BufferedReader(new InputStreamReader(this.worker.getInputStream(), StandardCharsets.UTF_8))
			.readLine();
		assertThat(bound).startsWith("BOUND ").endsWith(" true");
		this.worker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		assertThat(IpLocalReservedPorts.parse(ProcFile.read(LinuxPortReservations.RESERVED_PORTS)).containsAll(block))
			.as("kill -9 leaves the entry")
			.isTrue();

		LinuxPortReservations backend = new LinuxPortReservations(this.stateDirectory);
		try (PortReservation next = backend.lookupOrCreatePersistent(Protocol.TCP, block)) {
			assertThat(next.createdByThisProcess()).as("the next run takes the killed creator's place").isTrue();
		}
		assertThat(backend.deletePersistentReporting(Protocol.TCP, block)).isEqualTo(PersistentDeletion.RELEASED);
		assertThat(
				IpLocalReservedPorts.parse(ProcFile.read(LinuxPortReservations.RESERVED_PORTS)).within(block).isEmpty())
			.as("the entry is gone")
			.isTrue();
	}

}
