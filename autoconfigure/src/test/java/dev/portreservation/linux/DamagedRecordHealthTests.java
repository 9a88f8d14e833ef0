package dev.portreservation.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.portreservation.boot.health.PortReservationHealthIndicator;
import dev.portreservation.core.Enforcement;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;

import org.springframework.boot.health.contributor.Health;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A persistent block record that the Linux backend set aside as damaged shows in the
 * health details with its path, while the block stays UP. Ordinary files stand in for the
 * sysctls, so no privilege is needed (the backend's own handling of the damaged record is
 * attacked in core's {@code StateDirectorySecurityTests}).
 */
class DamagedRecordHealthTests {

	private static final PortBlock BLOCK = new PortBlock(40000, 8);

	@TempDir
	Path directory;

	@Test
	void aDamagedRecordShowsInHealthAndTheBlockStaysUp() throws IOException {
		Path sysctl = Files.writeString(this.directory.resolve("ip_local_reserved_ports"), "\n");
		Path range = Files.writeString(this.directory.resolve("ip_local_port_range"), "32768\t60999\n");
		LinuxPortReservations backend = new LinuxPortReservations(sysctl, range, this.directory.resolve("state"));
		backend.createPersistent(Protocol.UDP, BLOCK).close();
		Path record = backend.stateDirectory().resolve("udp-40000-40007.properties");
		Files.writeString(record, "protocol=UDP\nblock=40000-4000x\n");
		try (PortReservation tcp = backend.lookupOrCreatePersistent(Protocol.TCP, BLOCK)) {
			Health health = new PortReservationHealthIndicator(tcp, 1, true).health(true);
			assertThat(health.getStatus().getCode()).isEqualTo("UP");
			assertThat(health.getDetails()).containsKey("setAside")
				.containsEntry("enforcement", Enforcement.AUTOMATIC_ASSIGNMENT_ONLY);
			assertThat(health.getDetails().get("setAside")).asString().contains(record.toString());
		}
		finally {
			backend.deletePersistent(Protocol.TCP, BLOCK);
		}
	}

}
