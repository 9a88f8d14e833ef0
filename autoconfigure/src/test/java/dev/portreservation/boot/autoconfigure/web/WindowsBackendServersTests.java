package dev.portreservation.boot.autoconfigure.web;

import dev.portreservation.boot.autoconfigure.FailureAnalysisAssert;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;
import dev.portreservation.windows.WindowsPortReservations;
import dev.portreservation.windows.WindowsSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The whole stack as it runs on Windows: the starter's auto-configuration, a real
 * embedded server, and {@link WindowsPortReservations} calling {@code WSAIoctl} and the
 * IP Helper functions through JNA, here on the Windows API simulator
 * ({@code src/test/c/winsim.c}). The backend is the one user bean an application would
 * not have on Windows, where {@code portreservation.backend=auto} loads the real DLLs.
 */
@GuardTimeout(60)
class WindowsBackendServersTests {

	@BeforeEach
	void simulator() {
		WindowsSimulator.assumeAvailable();
		WindowsSimulator.reset(true);
	}

	@AfterEach
	void nothingLeftReserved() {
		assertThat(WindowsSimulator.controls().winsim_runtime_count()).as("runtime reservations still held").isZero();
	}

	@ParameterizedTest
	@EnumSource(EmbeddedServer.class)
	void serverBindsThroughAnAssociatedRuntimeBlockAndServesHttp(EmbeddedServer kind) throws Exception {
		try (RunningServer server = RunningServer.start(kind, new Class<?>[] { SimulatedWindows.class },
				"portreservation.count=4")) {
			PortReservation reservation = server.reservation();
			assertThat(reservation.backend()).isEqualTo("windows");
			assertThat(reservation.kind()).isEqualTo(ReservationKind.RUNTIME);
			int port = server.webServerPort();
			assertThat(reservation.block().contains(port)).as("port %d in %s", port, reservation.block()).isTrue();
			assertThat(server.localServerPort()).isEqualTo(port);
			assertThat(reservation.leases()).extracting(PortLease::port, PortLease::owner)
				.containsExactly(tuple(port, "server"));
			assertThat(server.get(port, "/hello")).isEqualTo("200 hello");
		}
	}

	@Test
	void twoAppsShareOnePersistentBlockCreatedByTheFirst() throws Exception {
		PortBlock block = freeBlock();
		String[] properties = { "portreservation.kind=persistent", "portreservation.start-port=" + block.startPort(),
				"portreservation.count=" + block.count(), "portreservation.delete-on-shutdown=true" };
		try (RunningServer first = RunningServer.start(EmbeddedServer.TOMCAT, new Class<?>[] { SimulatedWindows.class },
				properties);
				RunningServer second = RunningServer.start(EmbeddedServer.JETTY,
						new Class<?>[] { SimulatedWindows.class }, properties)) {
			assertThat(first.reservation().createdByThisProcess()).isTrue();
			assertThat(second.reservation().createdByThisProcess()).isFalse();
			assertThat(second.reservation().token()).isEqualTo(first.reservation().token());
			assertThat(first.webServerPort()).isNotEqualTo(second.webServerPort());
			assertThat(block.contains(first.webServerPort()) && block.contains(second.webServerPort())).isTrue();
			assertThat(first.get(first.webServerPort(), "/hello")).isEqualTo("200 hello");
			assertThat(second.get(second.webServerPort(), "/hello")).isEqualTo("200 hello");
		}
		assertThat(WindowsSimulator.backend().lookupPersistent(Protocol.TCP, block))
			.as("deleted on shutdown by the app that created it")
			.isEmpty();
	}

	@Test
	void persistentBlockWithoutElevationFailsStartupSayingHowToElevate() {
		WindowsSimulator.reset(false);
		PortBlock block = freeBlock();
		Throwable failure = catchThrowable(() -> RunningServer.start(EmbeddedServer.TOMCAT,
				new Class<?>[] { SimulatedWindows.class }, "portreservation.kind=persistent",
				"portreservation.start-port=" + block.startPort(), "portreservation.count=" + block.count()));
		FailureAnalysis analysis = FailureAnalysisAssert.analyzedByPortReservation(failure);
		assertThat(analysis.getDescription()).contains("ACCESS_DENIED").contains(block.toString()).contains("5");
		assertThat(analysis.getAction()).containsIgnoringCase("administrator").contains("portreservation.kind=runtime");
	}

	private static PortBlock freeBlock() {
		return WindowsSimulator.freeBlock(WindowsSimulator.backend(), 4);
	}

	@Configuration(proxyBeanMethods = false)
	static class SimulatedWindows {

		@Bean
		PortReservations windowsOnSimulator() {
			return WindowsSimulator.backend();
		}

	}

}
