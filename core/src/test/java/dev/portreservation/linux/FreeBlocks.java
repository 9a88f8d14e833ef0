package dev.portreservation.linux;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

/**
 * Blocks for the Linux contract tests: a wildcard acquire finds ports no live socket has,
 * for TCP and for UDP (leftover connections of earlier tests may remain: a block can be
 * held over them); the ports are given back and the test runs on them.
 */
final class FreeBlocks {

	private FreeBlocks() {
	}

	/**
	 * A free block whose ports also show no connection at all, not even leftovers of
	 * earlier tests (a block can be held over those), for tests that create and check
	 * connection states themselves.
	 */
	static PortBlock withoutConnections(LinuxPortReservations backend, int count) {
		for (int attempt = 0; attempt < 50; attempt++) {
			PortBlock block = free(backend, count);
			boolean quiet = true;
			for (int port = block.startPort(); port <= block.endPort() && quiet; port++) {
				quiet = TcpSocketTable.states(port).isEmpty();
			}
			if (quiet) {
				return block;
			}
		}
		throw new IllegalStateException("No block of " + count + " ports without connections found in 50 tries");
	}

	static PortBlock free(LinuxPortReservations backend, int count) {
		for (int attempt = 1;; attempt++) {
			try (PortReservation probe = backend.acquireRuntime(Protocol.TCP, count)) {
				PortBlock block = probe.block();
				try (PortReservation udp = backend.acquireRuntime(Protocol.UDP, block)) {
					return block;
				}
			}
			catch (PortReservationException ex) {
				// A UDP socket of another process on a port of the TCP block (tests of
				// other builds share the
				// host's ports): look for another block.
				if (ex.getReason() != Reason.CONFLICT || attempt == 16) {
					throw ex;
				}
			}
		}
	}

}
