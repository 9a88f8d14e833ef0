package dev.portreservation.boot.autoconfigure.web;

import java.net.InetAddress;
import java.net.NetworkInterface;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import org.junit.jupiter.api.BeforeAll;
import dev.portreservation.test.GuardTimeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static dev.portreservation.boot.autoconfigure.FailureAnalysisAssert.analyzedByPortReservation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code server.address} set to an address this host does not have: each real server
 * fails to start with the address named as the cause ({@code INVALID},
 * {@code EADDRNOTAVAIL}), never as a full block or a port conflict, both when the block
 * picks the port and when {@code server.port} names one; and nothing stays reserved.
 */
@GuardTimeout(60)
class NonLocalAddressServerTests {

	/** TEST-NET-1 (RFC 5737): never assigned to a real host. */
	private static final String NON_LOCAL = "192.0.2.1";

	private final PortReservations backend = PortReservations.forCurrentPlatform();

	@BeforeAll
	static void theAddressIsNotLocal() throws Exception {
		assertThat(NetworkInterface.getByInetAddress(InetAddress.getByName(NON_LOCAL)))
			.as("%s must not be an address of the test machine", NON_LOCAL)
			.isNull();
	}

	@ParameterizedTest
	@EnumSource(value = EmbeddedServer.class, names = { "TOMCAT", "NETTY", "JETTY" })
	void anyPortOfTheBlock(EmbeddedServer server) {
		PortBlock block = freeBlock(4);
		assertExplainedAsTheAddress(
				catchThrowable(() -> RunningServer.start(server, "portreservation.start-port=" + block.startPort(),
						"portreservation.count=4", "server.address=" + NON_LOCAL)));
		assertNothingReserved(block);
	}

	@ParameterizedTest
	@EnumSource(value = EmbeddedServer.class, names = { "TOMCAT", "NETTY", "JETTY" })
	void aPortOfTheBlockNamedByServerPort(EmbeddedServer server) {
		PortBlock block = freeBlock(4);
		assertExplainedAsTheAddress(catchThrowable(() -> RunningServer.start(server,
				"portreservation.start-port=" + block.startPort(), "portreservation.count=4",
				"server.port=" + (block.startPort() + 2), "server.address=" + NON_LOCAL)));
		assertNothingReserved(block);
	}

	private static void assertExplainedAsTheAddress(Throwable failure) {
		PortReservationException cause = RunningServer.reservationFailure(failure);
		assertThat(cause.getReason()).isEqualTo(Reason.INVALID);
		assertThat(cause.getMessage()).contains(NON_LOCAL, "EADDRNOTAVAIL");
		FailureAnalysis analysis = analyzedByPortReservation(failure);
		assertThat(analysis.getDescription()).contains("INVALID", NON_LOCAL)
			.doesNotContain("EXHAUSTED")
			.doesNotContain("CONFLICT");
		assertThat(analysis.getAction()).contains("server.address", NON_LOCAL)
			.doesNotContain("portreservation.count")
			.doesNotContain("portreservation.start-port");
	}

	private PortBlock freeBlock(int count) {
		try (PortReservation probe = this.backend.acquireRuntime(Protocol.TCP, count)) {
			return probe.block();
		}
	}

	private void assertNothingReserved(PortBlock block) {
		try (PortReservation again = this.backend.acquireRuntime(Protocol.TCP, block)) {
			assertThat(again.leases()).isEmpty();
		}
	}

}
