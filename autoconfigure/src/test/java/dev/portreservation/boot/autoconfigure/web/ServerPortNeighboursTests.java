package dev.portreservation.boot.autoconfigure.web;

import java.util.concurrent.TimeUnit;

import dev.portreservation.boot.autoconfigure.FailureAnalysisAssert;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Issue 18.4: adding the starter never makes a start fail that plain Boot completes. A
 * positive {@code server.port} without {@code portreservation.start-port} places the
 * block; when one of the ports after it is taken by another program (a listener of
 * another user in another process), the application still serves on {@code server.port},
 * from a block of the free ports around it, and the log says so. What only this starter
 * gives (an explicit {@code start-port}) still fails as asked. The ports are picked free
 * at run time, never a fixed 8080.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
class ServerPortNeighboursTests {

	private static final int COUNT = 8;

	private final PortReservations backend = PortReservations.forCurrentPlatform();

	@Test
	void busyNeighbourAfterServerPortMovesTheBlockAroundItAndTheServerKeepsServerPort(CapturedOutput output)
			throws Exception {
		// 2 x COUNT free ports; server.port in the middle, like 8080 with 8074-8079 free.
		PortBlock free = freeBlock(2 * COUNT);
		int serverPort = free.startPort() + COUNT - 1;
		int busy = serverPort + 2;
		try (ForeignListeners neighbour = ForeignListeners.listen(busy);
				RunningServer server = RunningServer.start(EmbeddedServer.TOMCAT, "server.port=" + serverPort)) {
			assertThat(server.webServerPort()).as("the neighbour on %d belongs to %s", busy, neighbour.owner())
				.isEqualTo(serverPort);
			assertThat(server.localServerPort()).isEqualTo(serverPort);
			assertThat(server.get(serverPort, "/hello")).isEqualTo("200 hello");
			PortBlock block = server.reservation().block();
			assertThat(block.count()).isEqualTo(COUNT);
			assertThat(block.contains(serverPort)).isTrue();
			assertThat(block.contains(busy)).isFalse();
			assertThat(block).isEqualTo(new PortBlock(serverPort + 2 - COUNT, COUNT));
			assertThat(output).contains("Reserved TCP block " + block + " (8 ports, runtime,")
				.contains("holds server.port=" + serverPort)
				.contains("the block starting there, " + serverPort + "-" + (serverPort + COUNT - 1)
						+ ", is not free right now (port " + busy + " in use)")
				.contains("so the block lies on the free ports around server.port");
		}
	}

	@Test
	void busyNeighboursOnBothSidesLeaveASmallerBlockThatStillHoldsServerPort(CapturedOutput output) throws Exception {
		PortBlock free = freeBlock(2 * COUNT);
		int serverPort = free.startPort() + COUNT - 1;
		try (ForeignListeners neighbours = ForeignListeners.listen(serverPort - 2, serverPort + 2);
				RunningServer server = RunningServer.start(EmbeddedServer.TOMCAT, "server.port=" + serverPort)) {
			assertThat(server.webServerPort()).isEqualTo(serverPort);
			assertThat(server.get(serverPort, "/hello")).isEqualTo("200 hello");
			assertThat(server.reservation().block()).isEqualTo(new PortBlock(serverPort - 1, 3));
			assertThat(output).contains("WARN")
				.contains("with only 3 ports instead of portreservation.count=8")
				.contains("(port " + (serverPort + 2) + " in use)");
		}
	}

	@Test
	void serverPortWhoseBlockWouldRunPast65535StillServesOnServerPort(CapturedOutput output) throws Exception {
		int serverPort = PortBlock.MAX_PORT - 1;
		PortBlock top = new PortBlock(PortBlock.MAX_PORT - COUNT + 1, COUNT);
		try (PortReservation probe = this.backend.acquireRuntime(Protocol.TCP, top)) {
			// free right now
		}
		try (RunningServer server = RunningServer.start(EmbeddedServer.TOMCAT, "server.port=" + serverPort)) {
			assertThat(server.webServerPort()).isEqualTo(serverPort);
			assertThat(server.reservation().block()).isEqualTo(top);
			assertThat(output).contains("would run past port 65535");
		}
	}

	@Test
	void explicitStartPortWithABusyNeighbourStillFailsNamingStartPort() throws Exception {
		PortBlock free = freeBlock(COUNT);
		try (ForeignListeners neighbour = ForeignListeners.listen(free.startPort() + 2)) {
			Throwable failure = catchThrowable(() -> RunningServer
				.start(EmbeddedServer.TOMCAT, "portreservation.start-port=" + free.startPort(),
						"server.port=" + free.startPort())
				.close());
			FailureAnalysis analysis = FailureAnalysisAssert.analyzedByPortReservation(failure);
			assertThat(analysis.getDescription()).contains(Reason.CONFLICT.name());
			assertThat(analysis.getAction()).contains("portreservation.start-port");
		}
	}

	@Test
	void serverPortItselfTakenFailsAsPlainBootWould() throws Exception {
		PortBlock free = freeBlock(COUNT);
		try (ForeignListeners taken = ForeignListeners.listen(free.startPort())) {
			Throwable failure = catchThrowable(
					() -> RunningServer.start(EmbeddedServer.TOMCAT, "server.port=" + free.startPort()).close());
			FailureAnalysis analysis = FailureAnalysisAssert.analyzedByPortReservation(failure);
			assertThat(analysis.getDescription() + analysis.getAction()).contains("server.port");
		}
	}

	private PortBlock freeBlock(int count) {
		try (PortReservation probe = this.backend.acquireRuntime(Protocol.TCP, count)) {
			return probe.block();
		}
	}

}
