package dev.portreservation.boot.autoconfigure.web;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;
import dev.portreservation.windows.WindowsPortReservations;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Real Tomcat, Reactor Netty and Jetty apps on real Windows: the starter's default
 * backend ({@code auto}) loads {@code ws2_32.dll} and {@code iphlpapi.dll}, the server
 * binds through the block, and a socket of the same process that was not associated gets
 * none of the block's other ports. Run by {@code .github/workflows/windows.yml}; on Linux
 * the same apps run on the simulator ({@link WindowsBackendServersTests}).
 */
@EnabledOnOs(value = OS.WINDOWS,
		disabledReason = "needs the real ws2_32.dll and iphlpapi.dll; on Linux "
				+ "WindowsBackendServersTests runs the same apps on the simulator")
@GuardTimeout(120)
class WindowsServersOnRealWindowsTests {

	@ParameterizedTest
	@EnumSource(EmbeddedServer.class)
	void serverBindsThroughARuntimeBlockOfThePortPoolAndStrangersGetNoPortOfIt(EmbeddedServer kind) throws Exception {
		try (RunningServer server = RunningServer.start(kind, "portreservation.count=4")) {
			PortReservation reservation = server.reservation();
			assertThat(reservation.backend()).isEqualTo("windows");
			assertThat(reservation.kind()).isEqualTo(ReservationKind.RUNTIME);
			int port = server.webServerPort();
			assertThat(reservation.block().contains(port)).as("port %d in %s", port, reservation.block()).isTrue();
			assertThat(server.get(port, "/hello")).isEqualTo("200 hello");
			for (int other = reservation.block().startPort(); other <= reservation.block().endPort(); other++) {
				strangerIsRefused(other);
			}
		}
	}

	@Test
	void twoAppsShareOnePersistentBlockWhenElevated() throws Exception {
		PortBlock block;
		WindowsPortReservations windows = new WindowsPortReservations();
		try (PortReservation probe = windows.acquireRuntime(Protocol.TCP, 4)) {
			block = probe.block();
		}
		try {
			windows.createPersistent(Protocol.TCP, block).close();
		}
		catch (PortReservationException ex) {
			assumeThat(ex.getReason()).as("persistent blocks need an elevated administrator")
				.isNotEqualTo(Reason.ACCESS_DENIED);
			throw ex;
		}
		String[] properties = { "portreservation.kind=persistent", "portreservation.start-port=" + block.startPort(),
				"portreservation.count=" + block.count(), "portreservation.delete-on-shutdown=true" };
		try (RunningServer first = RunningServer.start(EmbeddedServer.TOMCAT, properties);
				RunningServer second = RunningServer.start(EmbeddedServer.JETTY, properties)) {
			assertThat(first.webServerPort()).isNotEqualTo(second.webServerPort());
			assertThat(block.contains(first.webServerPort()) && block.contains(second.webServerPort())).isTrue();
			assertThat(second.get(second.webServerPort(), "/hello")).isEqualTo("200 hello");
		}
		finally {
			if (windows.lookupPersistent(Protocol.TCP, block).isPresent()) {
				windows.deletePersistent(Protocol.TCP, block);
			}
		}
	}

	private static void strangerIsRefused(int port) throws IOException {
		try (ServerSocketChannel stranger = ServerSocketChannel.open()) {
			InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
			assertThatExceptionOfType(BindException.class).as("a stranger binding %s", local)
				.isThrownBy(() -> stranger.bind(local));
		}
	}

}
