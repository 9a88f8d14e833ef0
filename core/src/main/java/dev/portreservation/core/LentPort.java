package dev.portreservation.core;

import java.nio.channels.Channel;

/**
 * A port of a reserved block lent to a component that binds a port <em>number</em> itself
 * (a mock server, an embedded broker, a process started by a test) instead of taking a
 * channel from the reservation.
 * <p>
 * While lent, the port is leased under its name (it shows in
 * {@link PortReservation#leases()} and is never handed to a bind through the
 * reservation), and the backend keeps holding it as long as it can: see
 * {@link PortReservation#lend(String)} for what each backend does. Close it once the
 * component has stopped: the port then returns to the block and is held again.
 * <p>
 * It is a {@link Channel} only so that the reservation can track it like the channels it
 * binds: open while lent, closed when given back. Backends make it; it is not meant to be
 * implemented elsewhere.
 */
public interface LentPort extends Channel {

	/**
	 * @return the lent port, a port of the block
	 */
	int port();

	/**
	 * @return the name the port was lent under, its lease's owner
	 */
	String name();

	/**
	 * Lets go of the backend's hold on the port, for a component that cannot bind beside
	 * it. Call it right before the component binds: from here until the component's bind,
	 * the port is held by no socket. Idempotent; does nothing once the port was given
	 * back.
	 */
	void handOff();

	/**
	 * Checks who has the lent port now, typically right after the component started.
	 * <ul>
	 * <li>Linux, runtime and persistent blocks: the kernel's own socket list
	 * ({@code NETLINK_SOCK_DIAG}; bound-only TCP sockets need Linux 6.5, see
	 * docs/linux.md for what older kernels cannot show). A live socket of any other
	 * process (another user, or another process of this user) on the port fails with
	 * {@link PortReservationException.Reason#CONFLICT}, its uid, pid and command in
	 * {@link PortReservationException#getHolders()} where {@code /proc} shows them.</li>
	 * <li>Other backends cannot tell whose a socket is: they answer whether any socket
	 * has the port (a bind of the port is refused) and never fail with
	 * {@code CONFLICT}.</li>
	 * </ul>
	 * @return whether a socket of this process other than the reservation's own holder is
	 * bound to the port: {@code true} once the component has bound it
	 * @throws PortReservationException {@code CONFLICT} when another process has a socket
	 * on the port, {@code INVALID} when the port was given back
	 */
	boolean verify();

	/**
	 * Gives the port back to the block, which holds it again. Call it after the component
	 * stopped listening; a port still bound by the component cannot be held again and is
	 * reported lost by the backend. Idempotent.
	 */
	@Override
	void close();

}
