package dev.portreservation.cli;

import dev.portreservation.core.PortReservationException.Reason;

/**
 * The exit codes, documented in {@code portreservation --help} and the README.
 */
final class ExitCodes {

	/** Done; the block is free. */
	static final int OK = 0;

	/** Not free, conflict, exists already, not found. */
	static final int NOT_FREE = 1;

	/** Bad command line. */
	static final int USAGE = 2;

	/** The OS refused for lack of privilege. */
	static final int ACCESS_DENIED = 3;

	/** Anything else. */
	static final int OTHER = 4;

	private ExitCodes() {
	}

	static int of(Reason reason) {
		return switch (reason) {
			case CONFLICT, EXHAUSTED, NOT_FOUND -> NOT_FREE;
			case ACCESS_DENIED -> ACCESS_DENIED;
			case INVALID -> USAGE;
			default -> OTHER;
		};
	}

}
