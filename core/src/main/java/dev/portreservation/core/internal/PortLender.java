package dev.portreservation.core.internal;

import java.io.IOException;

/**
 * What a backend does with the ports a reservation lends to components that bind them
 * themselves ({@link dev.portreservation.core.PortReservation#lend(String)}): one object
 * in place of four hooks, so a backend's lending lives in one class. The reservation
 * calls it under its lock only, and only for a port that is free (lend) or lent (the
 * others).
 */
public interface PortLender {

	/**
	 * Prepares a free port for lending.
	 * @param port a port of the block that no channel of the reservation has
	 * @return whether the port can be lent; {@code false} skips to the next port
	 * @throws IOException when preparing the port fails
	 * @throws dev.portreservation.core.PortReservationException {@code UNSUPPORTED} where
	 * the backend cannot lend
	 */
	boolean lend(int port) throws IOException;

	/**
	 * Lets go of the backend's hold on a lent port, right before its component binds it.
	 * By default nothing holds the port.
	 * @param port the lent port
	 * @throws IOException when letting go fails
	 */
	default void handOff(int port) throws IOException {
	}

	/**
	 * Whether the component a port was lent to has stopped: it bound the port (seen by an
	 * earlier call or by {@link #verify}) and no longer has it. Asked on every refresh
	 * while the port is lent, never on the bind path; by default never known.
	 * @param port a lent port
	 * @return whether to give the port back to the block now
	 */
	default boolean stopped(int port) {
		return false;
	}

	/**
	 * Says who has a lent port, for {@link dev.portreservation.core.LentPort#verify()}.
	 * @param port the lent port
	 * @return whether a socket of this process (other than the backend's own holder) is
	 * bound to the port
	 * @throws dev.portreservation.core.PortReservationException {@code CONFLICT} naming
	 * the holders when a socket of another process is on the port
	 * @throws IOException when the check itself fails
	 */
	boolean verify(int port) throws IOException;

}
