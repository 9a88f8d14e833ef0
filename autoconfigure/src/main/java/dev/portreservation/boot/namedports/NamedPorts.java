package dev.portreservation.boot.namedports;

import dev.portreservation.boot.reservation.PortReservationLifecycle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

import dev.portreservation.boot.PortReservationSetupException;
import dev.portreservation.core.LentPort;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * The ports behind {@code ${portreservation.ports.<name>}}: each name is lent a distinct
 * port of the block ({@link PortReservation#lend(String)}) the first time its placeholder
 * is resolved while the context starts, and keeps it for the life of the context;
 * {@code ${portreservation.ports.<name>[N]}} lends a run of N consecutive ports
 * ({@link NamedPortRun}).
 * <p>
 * When names are lent is fixed, so that nobody lends by reading: only a placeholder
 * resolution lends, and only until the context's lifecycle starts (before any server
 * listens). A plain read ({@code Environment#getProperty}, the env endpoint) and anything
 * after startup answers the ports of names lent already and nothing for other names.
 * <p>
 * The block is the application's one {@link PortReservation}, held by one
 * {@link PortReservationLifecycle}: whichever comes first, a placeholder resolved while
 * the configuration is still being read, or the auto-configured bean, creates it, and the
 * other uses the same one. A reservation published by a test ({@link #adopt}) is used as
 * it is and never closed here.
 */
public final class NamedPorts implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(NamedPorts.class);

	/** Prefix of the named-port properties. */
	public static final String PREFIX = "portreservation.ports.";

	/** Name of the property source and of the bean that exposes this object. */
	public static final String NAME = "portReservationNamedPorts";

	private final Supplier<PortReservationLifecycle> reserve;

	private final Map<String, LentPort> ports = new LinkedHashMap<>();

	private final Map<String, NamedPortRun> runs = new LinkedHashMap<>();

	private final Map<String, Integer> adopted = new LinkedHashMap<>();

	private final IntPredicate eligible;

	private final Runnable inputCheck;

	private Function<String, Integer> lender;

	private PortReservationLifecycle lifecycle;

	private PortReservation reservation;

	private boolean lending = true;

	private boolean reserving;

	private boolean closed;

	/**
	 * @param reserve reserves the block described by {@code portreservation.*} when a
	 * name is resolved before anything else reserved it
	 */
	public NamedPorts(Supplier<PortReservationLifecycle> reserve) {
		this(reserve, (port) -> true, () -> {
		});
	}

	/**
	 * @param reserve reserves the block described by {@code portreservation.*} when a
	 * name is resolved before anything else reserved it
	 * @param eligible which ports a name may get: not one a server's configuration asks
	 * for ({@code server.port=8080} places the block at 8080, and the server binds 8080)
	 * @param inputCheck run before a name is lent: fails when the configuration cannot
	 * have named ports (a named port in a property that places the block)
	 */
	public NamedPorts(Supplier<PortReservationLifecycle> reserve, IntPredicate eligible, Runnable inputCheck) {
		this.reserve = reserve;
		this.eligible = eligible;
		this.inputCheck = inputCheck;
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
	 * The lifecycle that holds the context's block: the one a named port created already,
	 * or one created now (by the auto-configured bean). Either way it is the one holder
	 * of the block, closed by the context.
	 * @param create how to reserve the block and create its lifecycle
	 * @return the lifecycle, the same on every call
	 */
	public synchronized PortReservationLifecycle lifecycle(Supplier<PortReservationLifecycle> create) {
		requireOpen();
		if (this.lifecycle == null) {
			if (this.reservation != null) {
				throw new IllegalStateException("The named ports use a reservation published elsewhere ("
						+ this.reservation.block() + "); it is not the starter's to hold");
			}
			this.lifecycle = create.get();
			this.reservation = this.lifecycle.getReservation();
		}
		return this.lifecycle;
	}

	/**
	 * @return the lifecycle that holds the block of these named ports, empty while none
	 * does (nothing reserved yet, or a test's block is used)
	 */
	public synchronized Optional<PortReservationLifecycle> heldBy() {
		return Optional.ofNullable(this.lifecycle);
	}

	/**
	 * @return the block named ports are lent from, {@code null} while none is held
	 */
	public synchronized PortReservation reservation() {
		return this.reservation;
	}

	/**
	 * @return whether a block is held for this context's named ports (by the lifecycle
	 * they share with the bean, or by a test)
	 */
	public synchronized boolean holdsBlock() {
		return this.reservation != null;
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
		this.lender = lender;
	}

	/**
	 * The port of a name, lent now if the name is new and lending is allowed.
	 * @param name a port name
	 * @param mayLend whether this look-up may lend a new name (a placeholder resolved
	 * while the context starts)
	 * @return the port (or, for a run, {@code first-last} / its first or last port),
	 * {@code null} for a name not lent when this look-up may not lend
	 */
	public synchronized Object port(String name, boolean mayLend) {
		NamedPortRun.Request run = NamedPortRun.parse(name);
		if (run != null) {
			return run(run, mayLend);
		}
		if (this.lender != null) {
			Integer port = this.adopted.get(name);
			if (port == null && mayLend && this.lending) {
				port = this.lender.apply(name);
				this.adopted.put(name, port);
			}
			return port;
		}
		LentPort lent = this.ports.get(name);
		if (lent == null && this.runs.containsKey(name)) {
			throw NamedPortRun.usedAsSinglePort(name, this.runs.get(name));
		}
		if (lent == null && mayLend && this.lending) {
			this.inputCheck.run();
			lent = reservedBlock(name).lend(name, this.eligible);
			this.ports.put(name, lent);
		}
		return (lent != null) ? lent.port() : null;
	}

	/**
	 * @param name a port name
	 * @return the port lent to that name, lent now if the name is new and names may still
	 * be lent
	 * @throws IllegalStateException when the name is not lent and cannot be lent any more
	 */
	public int port(String name) {
		Object port = port(name, true);
		if (!(port instanceof Integer number)) {
			throw new IllegalStateException("No port is lent to '" + name + "', and names are lent only while the "
					+ "application context starts; lend it from the PortReservation bean instead");
		}
		return number;
	}

	private Object run(NamedPortRun.Request request, boolean mayLend) {
		if (this.lender != null) {
			throw new IllegalStateException("A run of named ports (" + PREFIX + request.text()
					+ ") cannot come from a test's block (@ReservedPorts); use single names there");
		}
		NamedPortRun run = this.runs.get(request.name());
		if (run == null && this.ports.containsKey(request.name())) {
			throw NamedPortRun.usedAsRun(request, this.ports.get(request.name()).port());
		}
		if (run == null && mayLend && this.lending) {
			this.inputCheck.run();
			run = NamedPortRun.lend(reservedBlock(request.text()), request, this.eligible);
			this.runs.put(request.name(), run);
		}
		return (run != null) ? run.answer(request) : null;
	}

	private PortReservation reservedBlock(String name) {
		if (this.reservation != null) {
			return this.reservation;
		}
		if (this.reserving) {
			// Asked for again on this thread while its block is being reserved: a
			// property that decides the block refers to it (this used to recurse).
			throw NamedPortsInput.resolvedWhileReserving(name);
		}
		this.reserving = true;
		try {
			return lifecycle(this.reserve).getReservation();
		}
		finally {
			this.reserving = false;
		}
	}

	/**
	 * Stops lending new names: called when the context's lifecycle starts, before any
	 * server listens, so nothing that reads properties later (the env endpoint, code
	 * looking up names) lends a port.
	 */
	public synchronized void stopLending() {
		this.lending = false;
	}

	/**
	 * @return whether new names may still be lent
	 */
	public synchronized boolean isLending() {
		return this.lending && !this.closed;
	}

	/**
	 * @return the names resolved so far and their ports, in the order they were first
	 * resolved (a run as {@code name[N]} with its first port)
	 */
	public synchronized Map<String, Integer> ports() {
		Map<String, Integer> result = new LinkedHashMap<>(this.adopted);
		this.ports.forEach((name, lent) -> result.put(name, lent.port()));
		this.runs.forEach((name, run) -> result.put(name + "[" + run.count() + "]", run.first()));
		return result;
	}

	/**
	 * @return every port this context lent by name, single names and runs
	 */
	synchronized List<LentPort> lent() {
		List<LentPort> all = new ArrayList<>(this.ports.values());
		this.runs.values().forEach((run) -> all.addAll(run.ports()));
		return all;
	}

	/**
	 * Checks every port lent by name, once the components have started: a socket of
	 * another process on one (another user who bound it while it was lent, before the
	 * component) fails with {@code CONFLICT} naming the name, the port and that process,
	 * so the application never starts with a stranger on a port it believes its own.
	 * Ports of a test's block ({@link #adopt}) are the test's to check.
	 * @throws PortReservationException {@code CONFLICT} for the first port another
	 * process has
	 */
	public void verify() {
		for (LentPort lent : lent()) {
			if (!lent.isOpen()) {
				continue;
			}
			try {
				if (!lent.verify() && logger.isDebugEnabled()) {
					logger.debug("Named port '" + lent.name() + "' (" + lent.port()
							+ ") is lent, and no socket of this application is bound to it yet");
				}
			}
			catch (PortReservationException ex) {
				if (ex.getReason() != Reason.CONFLICT) {
					// Who has the port cannot be read here (not a claim either way).
					logger.warn("Could not verify named port '" + lent.name() + "' (" + lent.port() + "): "
							+ ex.getMessage());
					continue;
				}
				throw strangerOn(lent, ex);
			}
		}
	}

	private PortReservationException strangerOn(LentPort lent, PortReservationException ex) {
		return new PortReservationSetupException(Reason.CONFLICT,
				"Named port '" + lent.name() + "' (${" + PREFIX + lent.name() + "}) is not this application's alone: "
						+ ex.getDetail(),
				ex.getBlock().orElse(null), ex.getProtocol().orElse(null),
				"Stop the other process named above: it bound port " + lent.port() + " while the port was lent to '"
						+ lent.name() + "' and before the component bound it. Then start the application again.",
				ex);
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
		if (lent == null && this.runs.containsKey(name)) {
			this.runs.get(name).ports().forEach(LentPort::handOff);
			return;
		}
		if (lent == null) {
			throw new IllegalArgumentException(
					"No port named '" + name + "' was resolved; known: " + this.ports.keySet());
		}
		lent.handOff();
	}

	/**
	 * Gives the named ports back and lets the lifecycle that holds the block release it
	 * (it may have done so already, when the context destroyed its bean).
	 */
	@Override
	public void close() {
		PortReservationLifecycle holder;
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			lent().forEach(LentPort::close);
			holder = this.lifecycle;
		}
		if (holder != null) {
			holder.destroy();
		}
	}

	private void requireOpen() {
		if (this.closed) {
			throw new IllegalStateException("The application context that held the named ports is closed");
		}
	}

}
