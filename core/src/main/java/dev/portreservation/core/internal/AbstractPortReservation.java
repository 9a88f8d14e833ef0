package dev.portreservation.core.internal;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

import dev.portreservation.core.Enforcement;
import dev.portreservation.core.LentPort;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservationListener;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;
import org.jspecify.annotations.Nullable;

/**
 * Bookkeeping every backend shares: argument checks, the lease table, release of ports
 * whose channel was closed, listeners, timing and the closed state. A backend supplies
 * only the platform's bind ({@link #bindServer}, {@link #bindDatagram}) and its release
 * ({@link #release()}).
 * <p>
 * Binds are serialised by one lock per reservation: a bind is a few microseconds of
 * system calls, and the lock is what guarantees that two threads never lease the same
 * port. Queries ({@link #leases()}, {@link #portsInUse()}, {@link #portsFree()}) change
 * nothing: they take the lock only to copy or count (never around I/O) and skip leases
 * whose channel is closed. The state changes only on a bind, a {@link #refresh()} and the
 * close; the shared {@link ReservationWatcher} refreshes every reservation that has
 * leased a port at least once a second.
 * <p>
 * Listeners are called after the lock is released, each on its own: one that throws is
 * logged and neither stops the others nor turns a successful bind into a failure (the
 * port stays leased and the caller gets it, so a lease is never left behind a failure).
 * <p>
 * Why one class of this size: the bind path, the lend path, the refresh and the close are
 * the only places the state changes, all four under the one lock; kept together, the lock
 * never leaves this class and a reader sees every transition in one file. What needs no
 * lock, or checks it, lives apart: {@link LeaseTable} (the leases, refusing calls without
 * the lock), {@link ReservationListeners}, {@link PortLender} (a backend's lending) and
 * {@link ReservationWatcher}. About half of the lines are the contracts of the hooks a
 * backend implements.
 */
public abstract class AbstractPortReservation implements PortReservation {

	private final PortReservations backend;

	private final PortBlock block;

	private final Protocol protocol;

	private final ReservationKind kind;

	private final boolean createdByThisProcess;

	private final ReentrantLock lock = new ReentrantLock();

	/** The lease of each bound or lent port; checks that the lock is held. */
	@GuardedBy("lock")
	private final LeaseTable leases;

	/**
	 * Tells the backend of a port whose channel closed, while the reservation is open.
	 */
	private final IntConsumer returnPort = (port) -> {
		if (this.open) {
			portReturned(port);
		}
	};

	private final ReservationListeners listeners = new ReservationListeners(this::describe);

	private final ReservationWatcher watcher;

	private volatile boolean open = true;

	/** Whether the watcher looks after this reservation. */
	@GuardedBy("lock")
	private boolean watched;

	/**
	 * @param backend the backend that made the reservation: it names the reservation's
	 * backend and says what the OS enforces for its kind
	 * @param block the block
	 * @param protocol the protocol
	 * @param kind runtime or persistent
	 * @param createdByThisProcess whether this process created the block
	 */
	protected AbstractPortReservation(PortReservations backend, PortBlock block, Protocol protocol,
			ReservationKind kind, boolean createdByThisProcess) {
		this(backend, block, protocol, kind, createdByThisProcess, ReservationWatcher.shared());
	}

	AbstractPortReservation(PortReservations backend, PortBlock block, Protocol protocol, ReservationKind kind,
			boolean createdByThisProcess, ReservationWatcher watcher) {
		this.backend = backend;
		this.block = block;
		this.protocol = protocol;
		this.kind = kind;
		this.createdByThisProcess = createdByThisProcess;
		this.watcher = watcher;
		this.leases = new LeaseTable(this.lock, block);
	}

	@Override
	public final PortBlock block() {
		return this.block;
	}

	@Override
	public final Protocol protocol() {
		return this.protocol;
	}

	@Override
	public final ReservationKind kind() {
		return this.kind;
	}

	@Override
	public final boolean createdByThisProcess() {
		return this.createdByThisProcess;
	}

	@Override
	public final String backend() {
		return this.backend.name();
	}

	@Override
	public final Enforcement enforcement() {
		return this.backend.enforcement(this.kind);
	}

	@Override
	public final boolean isOpen() {
		return this.open;
	}

	@Override
	public final List<PortLease> leases() {
		this.lock.lock();
		try {
			return this.leases.openLeases();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public final int portsInUse() {
		this.lock.lock();
		try {
			return this.leases.openCount();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public final int portsFree() {
		return this.block.count() - portsInUse();
	}

	@Override
	public final void refresh() {
		List<PortLease> released = List.of();
		this.lock.lock();
		try {
			if (!this.open) {
				return;
			}
			endStoppedLends();
			released = releaseClosedChannels();
			maintain();
		}
		finally {
			this.lock.unlock();
			this.listeners.released(released);
		}
	}

	@Override
	public final int bind(ServerSocketChannel channel, InetSocketAddress local, int backlog, String owner) {
		requireProtocol(Protocol.TCP, "ServerSocketChannel");
		return bindChannel(channel, local, owner, backlog);
	}

	@Override
	public final int bind(DatagramChannel channel, InetSocketAddress local, String owner) {
		requireProtocol(Protocol.UDP, "DatagramChannel");
		return bindChannel(channel, local, owner, 0);
	}

	@Override
	public final void addListener(PortReservationListener listener) {
		this.listeners.add(listener);
	}

	@Override
	public final void removeListener(PortReservationListener listener) {
		this.listeners.remove(listener);
	}

	@Override
	public final void close() {
		boolean closedNow = false;
		this.lock.lock();
		try {
			if (!this.open) {
				return;
			}
			this.open = false;
			closedNow = true;
			release();
		}
		finally {
			this.lock.unlock();
			if (closedNow) {
				this.watcher.unwatch(this);
				this.listeners.closed(this);
			}
		}
	}

	@Override
	public String toString() {
		return describe();
	}

	/**
	 * @return the class, kind, protocol and block; never the token, so that it is safe to
	 * log
	 */
	final String describe() {
		return getClass().getSimpleName() + "[" + this.kind + " " + this.protocol + " " + this.block + "]";
	}

	/**
	 * Binds a server channel through the platform.
	 * @param channel the unbound channel
	 * @param local the requested address (its port is ignored; see {@code port})
	 * @param port a port of the block the caller asked for, or 0 for any free port of the
	 * block
	 * @param backlog the listen backlog
	 * @return the bound port
	 * @throws IOException when the platform's bind fails in a way the backend does not
	 * map itself
	 */
	protected abstract int bindServer(ServerSocketChannel channel, InetSocketAddress local, int port, int backlog)
			throws IOException;

	/**
	 * Binds a datagram channel through the platform; see {@link #bindServer}.
	 * @param channel the unbound channel
	 * @param local the requested address
	 * @param port a port of the block, or 0 for any free one
	 * @return the bound port
	 * @throws IOException when the platform's bind fails
	 */
	protected abstract int bindDatagram(DatagramChannel channel, InetSocketAddress local, int port) throws IOException;

	/**
	 * Called once, under the lock, when the reservation closes: give the block back to
	 * the OS.
	 */
	protected abstract void release();

	/**
	 * Called under the lock when a leased port's channel was found closed (on a bind or a
	 * refresh), before the lease is dropped, so a backend can hold the port again.
	 * @param port the port coming back to the block
	 */
	protected void portReturned(int port) {
	}

	/**
	 * Called under the lock on every bind and {@link #refresh()} of an open reservation,
	 * after closed channels were reaped: the place to retry what the backend could not do
	 * before, such as holding a port again.
	 */
	protected void maintain() {
	}

	/**
	 * Read without the lock by the watcher after each refresh.
	 * @return whether this reservation needs to be refreshed promptly (within
	 * milliseconds) rather than every second, for example because a port's protection
	 * depends on noticing a channel's close at once
	 */
	protected boolean needsPromptCheck() {
		return false;
	}

	/**
	 * Asks the watcher for a refresh now, and for prompt refreshes from then on while
	 * {@link #needsPromptCheck()} says so. Makes sure the reservation is watched.
	 */
	protected final void requestPromptCheck() {
		watch();
		this.watcher.wakeUp();
	}

	/**
	 * Whether a port is leased by a channel of this reservation. Call only under a bind
	 * (the lock is held).
	 * @param port a port of the block
	 * @return whether it is leased
	 */
	protected final boolean isLeased(int port) {
		return this.leases.isLeased(port);
	}

	/**
	 * Whether a port is bound right now by a leased channel that is still open. Safe
	 * without the lock.
	 * @param port a port of the block
	 * @return whether an open channel of this reservation has it
	 */
	protected final boolean isBoundByOpenChannel(int port) {
		this.lock.lock();
		try {
			Channel channel = this.leases.channel(port);
			return channel != null && channel.isOpen();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Who has ports of the block, for failure messages: this reservation's own backend's
	 * look-up ({@link PortReservations#holders()}). Never throws: naming a holder is a
	 * courtesy, the failure says what failed without it.
	 * @param ports the ports concerned
	 * @return their holders, possibly none
	 */
	protected final List<PortHolder> holders(PortBlock ports) {
		try {
			return this.backend.holders().find(this.protocol, ports);
		}
		catch (RuntimeException | LinkageError ex) {
			return List.of();
		}
	}

	/**
	 * A failure with this reservation's block and protocol filled in.
	 * @param reason the reason
	 * @param message what failed
	 * @param nativeCode the platform error number, or {@code null}
	 * @param cause the cause, or {@code null}
	 * @return the exception to throw
	 */
	protected final PortReservationException failure(Reason reason, String message, @Nullable Long nativeCode,
			@Nullable Throwable cause) {
		return failureBuilder(reason, message).nativeCode(nativeCode).cause(cause).build();
	}

	/**
	 * @param reason the reason
	 * @param message what failed
	 * @return a bind failure with this reservation's block, protocol and backend filled
	 * in
	 */
	protected final PortReservationException.Builder failureBuilder(Reason reason, String message) {
		return PortReservationException.builder(reason, message)
			.block(this.block)
			.protocol(this.protocol)
			.backend(this.backend.name())
			.operation(PortReservationException.Operation.BIND);
	}

	/**
	 * The one bind path of both channel kinds. It runs on every bind, so the time it took
	 * is worked out, and ended leases are collected, only when a listener will be told
	 * them; the start is always read, so that a listener registered during the bind is
	 * never told a made-up time.
	 */
	private int bindChannel(NetworkChannel channel, InetSocketAddress local, String owner, int backlog) {
		long start = System.nanoTime();
		String who = (owner != null) ? owner : DEFAULT_OWNER;
		List<PortLease> released = List.of();
		PortLease lease;
		try {
			int requested = checkRequest(channel, local);
			this.lock.lock();
			try {
				requireOpen();
				released = releaseClosedChannels();
				maintain();
				PortLease holder = (requested != 0) ? this.leases.lease(requested) : null;
				if (holder != null) {
					throw failureBuilder(Reason.CONFLICT,
							"Port " + requested + " of the block is already bound by '" + holder.owner() + "'")
						.problem(PortReservationException.Problem.PORT_IN_USE)
						.port(requested)
						.build();
				}
				int port = (channel instanceof ServerSocketChannel server)
						? bindServer(server, local, requested, backlog)
						: bindDatagram((DatagramChannel) channel, local, requested);
				if (!this.block.contains(port)) {
					Closeables.closeQuietly(channel);
					throw failure(Reason.SYSTEM_ERROR,
							"The platform bound port " + port + ", outside the reserved block", null, null);
				}
				lease = new PortLease(port, who, Instant.now());
				this.leases.add(lease, channel);
				watch();
			}
			finally {
				this.lock.unlock();
			}
		}
		catch (PortReservationException ex) {
			this.listeners.released(released);
			this.listeners.bindFailed(who, ex, System.nanoTime() - start);
			throw ex;
		}
		catch (IOException | RuntimeException ex) {
			PortReservationException failure = failure(Reason.SYSTEM_ERROR,
					"Binding a " + this.protocol + " channel through the reservation failed: " + ex.getMessage(), null,
					ex);
			this.listeners.released(released);
			this.listeners.bindFailed(who, failure, System.nanoTime() - start);
			throw failure;
		}
		// The lease is made: from here on nothing may turn the bind into a failure.
		if (this.listeners.any()) {
			long nanos = System.nanoTime() - start;
			this.listeners.released(released);
			this.listeners.bound(lease, nanos);
		}
		return lease.port();
	}

	/**
	 * Puts the reservation under the watcher from its first lease on. Call under the
	 * lock.
	 */
	private void watch() {
		if (!this.watched && this.open) {
			this.watched = true;
			this.watcher.watch(this);
		}
	}

	private int checkRequest(NetworkChannel channel, InetSocketAddress local) throws IOException {
		if (channel == null || !channel.isOpen()) {
			throw failure(Reason.INVALID, "The channel to bind is null or closed", null, null);
		}
		if (channel.getLocalAddress() != null) {
			throw failure(Reason.INVALID, "The channel is already bound to " + channel.getLocalAddress(), null, null);
		}
		int requested = (local != null) ? local.getPort() : 0;
		if (requested != 0 && !this.block.contains(requested)) {
			throw failureBuilder(Reason.INVALID,
					"Port " + requested + " lies outside the reserved block " + this.block
							+ "; ask for port 0 or a port inside the block")
				.problem(PortReservationException.Problem.PORT_OUTSIDE_BLOCK)
				.port(requested)
				.build();
		}
		return requested;
	}

	private void requireOpen() {
		if (!this.open) {
			throw failure(Reason.INVALID, "The reservation is closed", null, null);
		}
	}

	private void requireProtocol(Protocol expected, String channelType) {
		if (this.protocol != expected) {
			throw failureBuilder(Reason.UNSUPPORTED,
					"A " + channelType + " needs a " + expected + " block, this block is " + this.protocol)
				.problem(PortReservationException.Problem.WRONG_PROTOCOL)
				.build();
		}
	}

	/**
	 * Drops the leases of closed channels, telling the backend of each port while the
	 * reservation is open. Call under the lock.
	 * @return the dropped leases, for the listeners once the lock is released; none when
	 * no listener is registered (a listener registered meanwhile is told of later
	 * releases only)
	 */
	private List<PortLease> releaseClosedChannels() {
		return this.leases.removeClosed(this.returnPort, this.listeners.any());
	}

	// Lending a port to a component that binds it itself: the lease's channel is the
	// LentPort, so the ordinary release of closed channels gives the port back.

	@Override
	public LentPort lend(String name, IntPredicate eligible) {
		long start = System.nanoTime();
		String who = (name != null && !name.isBlank()) ? name : DEFAULT_OWNER;
		List<PortLease> released = List.of();
		LentPort lent = null;
		PortLease lease = null;
		try {
			this.lock.lock();
			try {
				requireOpen();
				PortLender lender = lender();
				if (lender == null) {
					throw lendFailure(Reason.UNSUPPORTED,
							"The " + backend() + " backend cannot lend a port to a "
									+ "component that binds it itself; bind a channel through the reservation instead")
						.build();
				}
				released = releaseClosedChannels();
				for (int port = this.block.startPort(); port <= this.block.endPort() && lent == null; port++) {
					if (!this.leases.isLeased(port) && eligible.test(port) && lender.lend(port)) {
						lent = new LentPortChannel(port, who, this::handOffLent, this::returnLent, this::verifyLent);
						lease = new PortLease(port, who, Instant.now());
						this.leases.add(lease, lent);
						watch();
					}
				}
				if (lent == null) {
					throw lendFailure(Reason.EXHAUSTED,
							"No port of the block is free to lend to '" + who + "' (" + this.block.count()
									+ " ports); raise the count or release ports")
						.problem(PortReservationException.Problem.PORT_IN_USE)
						.build();
				}
			}
			finally {
				this.lock.unlock();
			}
		}
		catch (PortReservationException ex) {
			this.listeners.released(released);
			this.listeners.bindFailed(who, ex, System.nanoTime() - start);
			throw ex;
		}
		catch (IOException | RuntimeException ex) {
			PortReservationException failure = lendFailure(Reason.SYSTEM_ERROR,
					"Lending a " + this.protocol + " port to '" + who + "' failed: " + ex.getMessage())
				.cause(ex)
				.build();
			this.listeners.released(released);
			this.listeners.bindFailed(who, failure, System.nanoTime() - start);
			throw failure;
		}
		long nanos = System.nanoTime() - start;
		this.listeners.released(released);
		PortLease bound = lease;
		this.listeners.bound(bound, nanos);
		return lent;
	}

	/**
	 * How this reservation lends ports: called under the lock. The default cannot lend.
	 * @return the backend's lending, or {@code null} when it cannot lend
	 */
	protected @Nullable PortLender lender() {
		return null;
	}

	private PortReservationException.Builder lendFailure(Reason reason, String message) {
		return failureBuilder(reason, message).operation(PortReservationException.Operation.LEND);
	}

	private void handOffLent(int port) {
		this.lock.lock();
		try {
			PortLender lender = lender();
			if (this.open && lender != null && this.leases.channel(port) instanceof LentPortChannel lent
					&& lent.isOpen()) {
				lender.handOff(port);
			}
		}
		catch (IOException ex) {
			throw lendFailure(Reason.SYSTEM_ERROR, "Handing off lent port " + port + " failed: " + ex.getMessage())
				.port(port)
				.cause(ex)
				.build();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Gives back, as if closed, every lent port whose component the backend saw stop (it
	 * had bound the port and has closed it), so the release below holds the port again.
	 * Only on {@link #refresh()} (the watcher), never on the bind path. Call under the
	 * lock.
	 */
	private void endStoppedLends() {
		PortLender lender = lender();
		if (lender == null) {
			return;
		}
		for (LentPortChannel lent : this.leases.openLentPorts()) {
			if (lender.stopped(lent.port())) {
				lent.returnedByReservation();
			}
		}
	}

	private void returnLent() {
		refresh();
	}

	private boolean verifyLent(int port) {
		this.lock.lock();
		try {
			requireOpen();
			PortLender lender = lender();
			if (lender == null || !(this.leases.channel(port) instanceof LentPortChannel lent) || !lent.isOpen()) {
				throw lendFailure(Reason.INVALID, "Port " + port + " is not lent any more").port(port).build();
			}
			return lender.verify(port);
		}
		catch (IOException ex) {
			throw lendFailure(Reason.SYSTEM_ERROR, "Checking lent port " + port + " failed: " + ex.getMessage())
				.port(port)
				.cause(ex)
				.build();
		}
		finally {
			this.lock.unlock();
		}
	}

}
