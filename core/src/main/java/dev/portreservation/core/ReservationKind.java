package dev.portreservation.core;

/**
 * How long a reservation lives.
 */
public enum ReservationKind {

	/**
	 * Lives as long as the process (on Windows: as long as the socket that acquired it)
	 * and serves only this process. Needs no privileges. The only kind that may let the
	 * OS pick the block.
	 */
	RUNTIME,

	/**
	 * Recorded by the OS and survives the process (on Windows also reboots). Any process
	 * may bind from it; creating one needs administrator rights (Windows) or
	 * CAP_NET_ADMIN (Linux).
	 */
	PERSISTENT

}
