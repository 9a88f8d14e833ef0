package dev.portreservation.boot.autoconfigure.web;

import dev.portreservation.core.Enforcement;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.test.GuardTimeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12.6: one INFO line when the block is reserved (block, size with the right
 * plural, kind, backend, what is enforced) and one when it is released; and a block sized
 * for exactly the application's own servers is UP without a warning when they fill it.
 */
@GuardTimeout(60)
@ExtendWith(OutputCaptureExtension.class)
class BlockLogAndHealthTests {

	@ParameterizedTest(name = "count={0}, management port: {1}")
	@CsvSource({ "1, false, 1 port", "2, true, 2 ports", "3, false, 3 ports" })
	void reserveAndReleaseAreLoggedOnceWithTheRightPluralAndAFilledBlockIsUpWithoutWarning(int count,
			boolean management, String size, CapturedOutput output) {
		PortBlock block;
		String backend;
		Enforcement enforced;
		String[] properties = management ? new String[] { "portreservation.count=" + count, "management.server.port=0",
				"management.server.address=127.0.0.1" } : new String[] { "portreservation.count=" + count };
		try (RunningServer server = RunningServer.start(EmbeddedServer.TOMCAT, properties)) {
			PortReservation reservation = server.reservation();
			block = reservation.block();
			backend = reservation.backend();
			enforced = reservation.enforcement();
			HealthIndicator indicator = server.context()
				.getBean("portReservationHealthContributor", HealthIndicator.class);
			Health health = indicator.health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			// count 1 (the server) and count 2 (server and management) are filled by
			// design.
			assertThat(health.getDetails()).doesNotContainKey("warning");
		}
		String reserved = "Reserved TCP block " + block + " (" + size + ", runtime, " + backend
				+ " backend): chosen by the operating system; enforced by the OS: " + enforced;
		String released = "Released TCP block " + block + " (" + size + ", runtime, " + backend + " backend)";
		assertThat(output.getOut()).containsOnlyOnce(reserved).containsOnlyOnce(released).doesNotContain("1 ports");
		assertThat(output.getOut().indexOf(reserved)).isLessThan(output.getOut().indexOf(released));
	}

}
