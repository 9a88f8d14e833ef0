package dev.portreservation.portable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.portreservation.core.LentPort;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Lending on the portable backend: bookkeeping in this JVM, and a port some socket
 * already has is not lent.
 */
class PortableLentPortTests {

	private final PortablePortReservations backend = new PortablePortReservations();

	@Test
	void everyFreePortIsLentOnceAndAPortInUseIsSkipped() throws Exception {
		try (PortReservation reservation = this.backend.acquireRuntime(Protocol.TCP, aboveTheEphemeralRange());
				ServerSocketChannel squatter = ServerSocketChannel.open()) {
			int taken = reservation.block().startPort() + 1;
			squatter.bind(new InetSocketAddress(taken));
			Set<Integer> lent = new HashSet<>();
			for (int i = 0; i < 3; i++) {
				LentPort port = reservation.lend("component-" + i);
				assertThat(port.port()).isNotEqualTo(taken);
				assertThat(lent.add(port.port())).isTrue();
				// Nothing holds it: the component binds it as it is.
				try (ServerSocketChannel component = ServerSocketChannel.open()) {
					component.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port.port()));
				}
			}
			assertThatExceptionOfType(PortReservationException.class).isThrownBy(() -> reservation.lend("one-more"))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.EXHAUSTED));
			assertThat(reservation.leases()).hasSize(3);
		}
	}

	/**
	 * Nothing holds a portable block's ports, so a block in the ephemeral range can lose
	 * a port to any outgoing connection of the machine between two lends; above the range
	 * only explicit binds compete.
	 */
	private static PortBlock aboveTheEphemeralRange() throws IOException {
		for (int start = 61000; start + 4 <= 65535; start += 4) {
			if (allFree(start, 4)) {
				return new PortBlock(start, 4);
			}
		}
		throw new IllegalStateException("No free block of 4 ports above 61000");
	}

	private static boolean allFree(int start, int count) throws IOException {
		for (int port = start; port < start + count; port++) {
			try (ServerSocketChannel probe = ServerSocketChannel.open()) {
				probe.bind(new InetSocketAddress(port));
			}
			catch (java.net.BindException ex) {
				return false;
			}
		}
		return true;
	}

}
