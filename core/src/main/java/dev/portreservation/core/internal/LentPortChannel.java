package dev.portreservation.core.internal;

import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

import dev.portreservation.core.LentPort;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Operation;
import dev.portreservation.core.PortReservationException.Reason;

/**
 * The {@link LentPort} a reservation hands out: its calls go back to the reservation that
 * lent it (hand-off, return, verify), and the reservation tracks it in its lease table
 * like a bound channel.
 */
final class LentPortChannel implements LentPort {

	private final int port;

	private final String name;

	private final IntConsumer handOff;

	private final Runnable returned;

	private final IntPredicate verifier;

	private volatile boolean open = true;

	LentPortChannel(int port, String name, IntConsumer handOff, Runnable returned, IntPredicate verifier) {
		this.port = port;
		this.name = name;
		this.handOff = handOff;
		this.returned = returned;
		this.verifier = verifier;
	}

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public void handOff() {
		if (this.open) {
			this.handOff.accept(this.port);
		}
	}

	@Override
	public boolean verify() {
		if (!this.open) {
			throw PortReservationException
				.builder(Reason.INVALID,
						"Port " + this.port + " lent to '" + this.name + "' was given back; lend a port again")
				.operation(Operation.LEND)
				.port(this.port)
				.build();
		}
		return this.verifier.test(this.port);
	}

	/**
	 * Marks the port given back without telling the reservation, which calls this itself
	 * when the component that bound the port has closed it (see
	 * {@link dev.portreservation.core.PortReservation#lend(String)}).
	 */
	void returnedByReservation() {
		this.open = false;
	}

	@Override
	public boolean isOpen() {
		return this.open;
	}

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
