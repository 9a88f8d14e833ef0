package dev.portreservation.core;

import java.nio.channels.Channel;
import java.util.function.IntConsumer;

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

	private volatile boolean open = true;

	LentPort(int port, String name, IntConsumer handOff, Runnable returned) {
		this.port = port;
		this.name = name;
		this.handOff = handOff;
		this.returned = returned;
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
