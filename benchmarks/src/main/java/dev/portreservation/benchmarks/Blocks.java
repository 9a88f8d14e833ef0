package dev.portreservation.benchmarks;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;

/**
 * Reserves the TCP blocks the benchmarks run on. Small blocks come from a wildcard
 * request. A large block rarely fits a random window of a busy ephemeral range, where one
 * port in use spoils the window, so it is placed below that range, at the first start
 * that is entirely free.
 */
final class Blocks {

	private static final int WILDCARD_LIMIT = 1024;

	private static final int FIRST_EXPLICIT_START = 10000;

	private static final int STEP = 1000;

	private Blocks() {
	}

	static PortReservation reserve(int count) {
		PortReservations backend = PortReservations.forCurrentPlatform();
		if (count <= WILDCARD_LIMIT) {
			return backend.acquireRuntime(Protocol.TCP, count);
		}
		PortReservationException last = null;
		for (int start = FIRST_EXPLICIT_START; start + count - 1 <= PortBlock.MAX_PORT; start += STEP) {
			try {
				return backend.acquireRuntime(Protocol.TCP, new PortBlock(start, count));
			}
			catch (PortReservationException ex) {
				if (ex.getReason() != Reason.CONFLICT) {
					throw ex;
				}
				last = ex;
			}
		}
		throw new IllegalStateException(
				"No free block of " + count + " TCP ports from port " + FIRST_EXPLICIT_START + " up", last);
	}

}
