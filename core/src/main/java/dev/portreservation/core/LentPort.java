package dev.portreservation.core;

import java.nio.channels.Channel;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

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
 * binds: open while lent, closed when given back.
 */
public final class LentPort implements Channel {

	private final int port;

	private final String name;

	private final IntConsumer handOff;

	private final Runnable returned;

	private final IntPredicate verifier;

	private volatile boolean open = true;

	LentPort(int port, String name, IntConsumer handOff, Runnable returned, IntPredicate verifier) {
		this.port = port;
		this.name = name;
		this.handOff = handOff;
		this.returned = returned;
		this.verifier = verifier;
	}

	/**
	 * @return the lent port, a port of the block
	 */
	public int port() {
		return this.port;
	}

	/**
	 * @return the name the port was lent under, its lease's owner
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Lets go of the backend's hold on the port, for a component that cannot bind beside
	 * it. Call it right before the component binds: from here until the component's bind,
	 * the port is held by no socket. Idempotent; does nothing once the port was given
	 * back.
	 */
	public void handOff() {
		if (this.open) {
			this.handOff.accept(this.port);
		}
	}

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
	public boolean verify() {
		if (!this.open) {
			throw new PortReservationException(PortReservationException.Reason.INVALID,
					"Port " + this.port + " lent to '" + this.name + "' was given back; lend a port again", null, null,
					null, null);
		}
		return this.verifier.test(this.port);
	}

	/**
	 * Marks the port given back without telling the reservation, which calls this itself
	 * when the component that bound the port has closed it (see
	 * {@link PortReservation#lend(String)}).
	 */
	void returnedByReservation() {
		this.open = false;
	}

	@Override
	public boolean isOpen() {
		return this.open;
	}

	/**
	 * Gives the port back to the block, which holds it again. Call it after the component
	 * stopped listening; a port still bound by the component cannot be held again and is
	 * reported lost by the backend. Idempotent.
	 */
	@Override
	public void close() {
		if (this.open) {
			this.open = false;
			this.returned.run();
		}
	}

	@Override
	public String toString() {
		return "LentPort[" + this.name + "=" + this.port + (this.open ? "" : ", returned") + "]";
	}

}
