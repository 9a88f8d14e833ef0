package dev.portreservation.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

import dev.portreservation.core.LentPort;
import dev.portreservation.core.PortReservation;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * The ports behind {@code ${portreservation.ports.<name>}}: each name is lent a distinct
 * port of the block ({@link PortReservation#lend(String)}) the first time it is resolved,
 * and keeps it for the life of the context.
 * <p>
 * The block is the application's one {@link PortReservation}: whichever comes first, a
 * placeholder resolved while the configuration is still being read, or the
 * auto-configured bean, reserves it, and the other uses the same reservation. A
 * reservation published by a test ({@link #adopt}) is used as it is and never closed
 * here.
 */
public final class NamedPorts implements AutoCloseable {

	/** Prefix of the named-port properties. */
	public static final String PREFIX = "portreservation.ports.";

	/** Name of the property source and of the bean that exposes this object. */
	public static final String NAME = "portReservationNamedPorts";

	private final Supplier<PortReservation> reserve;

	private final Map<String, LentPort> ports = new LinkedHashMap<>();

	private final Map<String, Integer> adopted = new LinkedHashMap<>();

	private Function<String, Integer> lender;

	private PortReservation reservation;

	private boolean owned;

	private boolean closed;

	private final IntPredicate eligible;

	/**
	 * @param reserve reserves the block described by {@code portreservation.*} when a
	 * name is resolved before anything else reserved it
	 */
	public NamedPorts(Supplier<PortReservation> reserve) {
		this(reserve, (port) -> true);
	}

	/**
	 * @param reserve reserves the block described by {@code portreservation.*} when a
	 * name is resolved before anything else reserved it
	 * @param eligible which ports a name may get: not one a server's configuration asks
	 * for ({@code server.port=8080} places the block at 8080, and the server binds 8080)
	 */
	public NamedPorts(Supplier<PortReservation> reserve, IntPredicate eligible) {
		this.reserve = reserve;
		this.eligible = eligible;
	}

	/**
	 * @param environment an environment
	 * @return the named ports registered in it, if any
	 */
	public static Optional<NamedPorts> find(Environment environment) {
		if (environment instanceof ConfigurableEnvironment configurable) {
			PropertySource<?> source = configurable.getPropertySources().get(NAME);
			if (source != null && source.getSource() instanceof NamedPorts named) {
				return Optional.of(named);
			}
		}
		return Optional.empty();
	}

	/**
	 * The block named ports come from, reserved by {@code reserve} if nothing reserved it
	 * yet.
	 * @param reserve how to reserve the block
	 * @return the reservation, the same on every call
	 */
	public synchronized PortReservation reservation(Supplier<PortReservation> reserve) {
		requireOpen();
		if (this.reservation == null) {
			this.reservation = reserve.get();
			this.owned = true;
		}
		return this.reservation;
	}

	/**
	 * The block of the context's {@code PortReservation} bean: the one a named port
	 * reserved already (then still closed here), or one the bean reserves now, which
	 * stays the bean's to close (so a devtools restart can keep it) while named ports
	 * lend from it.
	 * @param reserve how the bean reserves the block
	 * @return the reservation, the same on every call
	 */
	public synchronized PortReservation sharedWithBean(Supplier<PortReservation> reserve) {
		requireOpen();
		if (this.reservation == null) {
			this.reservation = reserve.get();
			this.owned = false;
		}
		return this.reservation;
	}

	/**
	 * Uses a reservation made elsewhere (a test's block) for the named ports, and its
	 * maker's names: a name the maker already lent resolves to the same port here. Both
	 * stay the maker's to close.
	 * @param reservation the reservation
	 * @param lender the maker's port for a name, lending it if the name is new
	 * @throws IllegalStateException when names were already resolved from another block
	 */
	public synchronized void adopt(PortReservation reservation, Function<String, Integer> lender) {
		requireOpen();
		if (this.reservation != null && this.reservation != reservation) {
			throw new IllegalStateException("Named ports " + this.ports.keySet() + " were already lent from "
					+ this.reservation.block() + "; publish the reservation before the configuration is read");
		}
		this.reservation = reservation;
		this.owned = false;
		this.lender = lender;
	}

	/**
	 * @param name a port name
	 * @return the port lent to that name, lent now if the name is new
	 */
	public synchronized int port(String name) {
		if (this.lender != null) {
			int port = this.lender.apply(name);
			this.adopted.put(name, port);
			return port;
		}
		LentPort lent = this.ports.get(name);
		if (lent == null) {
			lent = reservation(this.reserve).lend(name, this.eligible);
			this.ports.put(name, lent);
		}
		return lent.port();
	}

	/**
	 * @return the names resolved so far and their ports, in the order they were first
	 * resolved
	 */
	public synchronized Map<String, Integer> ports() {
		Map<String, Integer> result = new LinkedHashMap<>(this.adopted);
		this.ports.forEach((name, lent) -> result.put(name, lent.port()));
		return result;
	}

	/**
	 * Lets go of the hold on a named port, for a component that cannot bind beside it
	 * (see {@link LentPort#handOff()}). Call it right before the component binds.
	 * @param name a resolved port name
	 */
	public synchronized void handOff(String name) {
		LentPort lent = this.ports.get(name);
		if (lent == null && this.adopted.containsKey(name)) {
			throw new IllegalStateException("Port '" + name + "' was lent by the block's maker (a test's "
					+ "@ReservedPorts); hand it off there");
		}
		if (lent == null) {
			throw new IllegalArgumentException(
					"No port named '" + name + "' was resolved; known: " + this.ports.keySet());
		}
		lent.handOff();
	}

	/**
	 * Gives the named ports back and closes the block if it was reserved here.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.ports.values().forEach(LentPort::close);
		if (this.owned && this.reservation != null) {
			this.reservation.close();
		}
	}

	private void requireOpen() {
		if (this.closed) {
			throw new IllegalStateException("The application context that held the named ports is closed");
		}
	}

}
