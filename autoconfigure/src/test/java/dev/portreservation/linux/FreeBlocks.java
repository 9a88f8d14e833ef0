package dev.portreservation.linux;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

/**
 * Blocks for the Linux contract tests: a wildcard acquire finds ports no socket has, for TCP and for UDP;
 * the ports are given back and the test runs on them.
 */
final class FreeBlocks {

	private FreeBlocks() {
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
				// A UDP socket of another process on a port of the TCP block (tests of other builds share the
				// host's ports): look for another block.
				if (ex.getReason() != Reason.CONFLICT || attempt == 16) {
					throw ex;
				}
			}
		}
	}

}
