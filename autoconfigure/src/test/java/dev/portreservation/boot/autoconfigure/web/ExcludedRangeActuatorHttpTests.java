package dev.portreservation.boot.autoconfigure.web;

import java.io.IOException;
import java.net.ServerSocket;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;
import dev.portreservation.portable.PortablePortReservations;
import dev.portreservation.test.GuardTimeout;
import dev.portreservation.windows.ExcludedPortRanges;
import dev.portreservation.windows.SimulatedExcludedRanges;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17.4 over HTTP, as a user sees it: a real Tomcat app on the portable fallback
 * whose block lies under two ranges of a real netsh listing
 * ({@code en-github-runner-tcp.txt}) shows them in {@code /actuator/health} and
 * {@code /actuator/portreservations}, serialized by the actuator itself; without the
 * listing (off Windows) neither answer has the field.
 */
@GuardTimeout(90)
class ExcludedRangeActuatorHttpTests {

	private static final String[] ACTUATOR = { "portreservation.backend=portable",
			"management.endpoints.web.exposure.include=health,portreservations",
			"management.endpoint.health.show-details=always" };

	@Test
	void healthAndEndpointShowTheRangesAnAppsBlockOverlaps() throws Exception {
		PortBlock block = freeUnder(51510, 10);
		try (RunningServer server = RunningServer.start(EmbeddedServer.TOMCAT,
				new Class<?>[] { NetshListsTheRunnersRanges.class },
				with("portreservation.start-port=" + block.startPort(), "portreservation.count=" + block.count()))) {
			int port = server.webServerPort();
			String health = server.get(port, "/actuator/health/portReservation");
			assertThat(health).startsWith("200 ")
				.contains("\"status\":\"UP\"")
				.contains("\"excludedRanges\":[{\"range\":\"51417-51516\",\"start\":51417,\"end\":51516,"
						+ "\"administered\":false,\"holder\":\"held by the system (Hyper-V / WinNAT / WSL / http.sys), "
						+ "moves at reboot\"},{\"range\":\"51517-51616\"")
				.contains("WSAEACCES");
			assertThat(server.get(port, "/actuator/portreservations")).startsWith("200 ")
				.contains("\"excludedRanges\":[{\"range\":\"51417-51516\"");
		}
	}

	@Test
	void offWindowsNeitherAnswerHasTheField() throws Exception {
		PortBlock block = freeUnder(51510, 10);
		try (RunningServer server = RunningServer.start(EmbeddedServer.TOMCAT,
				with("portreservation.start-port=" + block.startPort(), "portreservation.count=" + block.count()))) {
			int port = server.webServerPort();
			assertThat(server.get(port, "/actuator/health/portReservation")).startsWith("200 ")
				.doesNotContain("excludedRanges")
				.doesNotContain("warning");
			assertThat(server.get(port, "/actuator/portreservations")).startsWith("200 ")
				.contains("\"unheldPorts\":[]")
				.doesNotContain("excludedRanges");
		}
	}

	private static String[] with(String... properties) {
		String[] all = new String[ACTUATOR.length + properties.length];
		System.arraycopy(ACTUATOR, 0, all, 0, ACTUATOR.length);
		System.arraycopy(properties, 0, all, ACTUATOR.length, properties.length);
		return all;
	}

	// The block of the test: where the listing has ranges, on ports nobody binds here.
	private static PortBlock freeUnder(int start, int count) {
		PortBlock block = new PortBlock(start, count);
		for (int port = block.startPort(); port <= block.endPort(); port++) {
			try (ServerSocket probe = new ServerSocket(port)) {
				// free
			}
			catch (IOException ex) {
				Assumptions.abort("port " + port + " is in use on this machine: " + ex);
			}
		}
		try (PortReservation held = new PortablePortReservations().acquireRuntime(Protocol.TCP, block)) {
			return held.block();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class NetshListsTheRunnersRanges {

		@Bean
		ExcludedPortRanges.Source excludedPortRanges() {
			return SimulatedExcludedRanges.fixture("en-github-runner-tcp.txt");
		}

	}

}
