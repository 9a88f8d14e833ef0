package dev.portreservation.linux;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntPredicate;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Operation;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;
import dev.portreservation.core.internal.Closeables;
import dev.portreservation.core.internal.ExplicitBindPortReservation;
import dev.portreservation.core.internal.PortLender;

/**
 * A runtime block held by one {@link HolderSocket} per port. Binding a channel sets
 * {@code SO_REUSEPORT} on it and binds it next to the port's holder.
 * <p>
 * Holders stay open for the life of the reservation, so a port is held through a
 * channel's bind and close with no gap. A TCP holder never listens, so the kernel gives
 * every connection to the channel. A UDP holder would take a share of the datagrams of a
 * channel in its {@code SO_REUSEPORT} group (a channel bound to the same wildcard
 * address): {@link DatagramSteering} hands them all to the channel. A UDP channel bound
 * to one address forms no group with the holder and gets its datagrams anyway.
 * <p>
 * Where steering is impossible (see {@link DatagramSteering#unavailable()}) the holder of
 * a wildcard-bound UDP channel is given up to the channel, which covers the same
 * addresses while it is open, and the reservation asks the watcher for prompt refreshes
 * until the channel is closed and the port held again. A port that cannot be held again
 * (another socket took it meanwhile, or the process is out of file descriptors) is
 * reported by {@link #unheldPorts()} and retried on every bind and refresh.
 * <p>
 * Why one class of this size: every holder socket of the block is opened, given up, made
 * again and closed here, under the reservation's lock, so a reader sees each way a port
 * can lose its holder in one file; lending lives in {@link HeldPortLender}, the
 * cross-process claim in {@link RuntimeClaim}, a holder's socket rules in
 * {@link HolderSocket}.
 */
final class RuntimeBlockReservation extends ExplicitBindPortReservation {

	private static final System.Logger LOGGER = System.getLogger(RuntimeBlockReservation.class.getName());

	/** Whether the missing steering was logged in this JVM (once is enough). */
	private static final AtomicBoolean STEERING_WARNED = new AtomicBoolean();

	/**
	 * The steering of a TCP block, which never asks for it: a TCP holder never receives
	 * anything.
	 */
	private static final DatagramSteering NOT_NEEDED = DatagramSteering.unavailable("TCP holders need no steering");

	private final long token;

	private final DatagramSteering steering;

	/**
	 * The holder of each port, indexed by the port's offset in the block ({@code null}:
	 * not held). An array rather than a map keeps the bind path's look-up constant-time
	 * at any block size; atomic so that the diagnostics below can read it while a bind
	 * changes it under the reservation's lock.
	 */
	private final AtomicReferenceArray<NetworkChannel> holders;

	/**
	 * Ports whose holder was given up to a leased channel (steering impossible), to be
	 * held again as soon as the channel closes. Changed under the reservation's lock,
	 * read by queries without it.
	 */
	private final Set<Integer> handedOff = new ConcurrentSkipListSet<>();

	/**
	 * Ports without holder and without channel: a holder could not be made again (another
	 * socket took the port, or no file descriptor was left). Retried on every bind and
	 * refresh.
	 */
	private final Set<Integer> unheld = new ConcurrentSkipListSet<>();

	/**
	 * When an unheld TCP port may next be tried again: a TCP hold that meets a socket
	 * reads the kernel's socket list (milliseconds, see {@link HolderSocket}), so at most
	 * every 100 ms rather than on every bind and 10 ms refresh; a UDP retry is two system
	 * calls and is not paced.
	 */
	private final PerPortPace holdRetries = new PerPortPace(100_000_000L);

	/** Made once: {@link #maintain()} runs on every bind. */
	private final IntPredicate leased = this::isLeased;

	/**
	 * The native IPv6 holder of each port when this JVM's sockets are IPv4 only
	 * ({@code -Djava.net.preferIPv4Stack=true}), held for the reservation's whole life;
	 * {@code null} otherwise.
	 */
	private final Closeable[] ipv6Holders;

	/**
	 * This process's claim on the block (cross-process lock and holder record), given up
	 * on release.
	 */
	private final Closeable claim;

	/** Lends ports while their holders keep them. */
	private final HeldPortLender lender;

	private RuntimeBlockReservation(LinuxPortReservations backend, PortBlock block, Protocol protocol, long token,
			AtomicReferenceArray<NetworkChannel> holders, Closeable[] ipv6Holders, Closeable claim,
			DatagramSteering steering) {
		super(backend, block, protocol, ReservationKind.RUNTIME, true);
		this.token = token;
		this.holders = holders;
		this.ipv6Holders = ipv6Holders;
		this.claim = claim;
		this.steering = steering;
		this.lender = new HeldPortLender(protocol, block, holders, ipv6Holders, this::requestPromptCheck);
	}

	/**
	 * Holds every port of the block, or none.
	 * @param backend the backend the reservation reports
	 * @param protocol the protocol
	 * @param block the block
	 * @param token the token the reservation reports
	 * @param claim this process's claim on the block, closed with the reservation (or at
	 * once if the hold fails)
	 * @param nameHolders whether a {@code CONFLICT} names who holds the port (a look-up
	 * through {@code /proc}); false where the caller tries another block instead of
	 * reporting it
	 * @return the reservation
	 * @throws PortReservationException {@code CONFLICT} naming the first port another
	 * socket has, {@code ACCESS_DENIED} for a privileged port without
	 * {@code CAP_NET_BIND_SERVICE}, {@code UNSUPPORTED} when the IPv6 side cannot be held
	 * in an IPv4-only JVM
	 */
	static RuntimeBlockReservation hold(LinuxPortReservations backend, Protocol protocol, PortBlock block, long token,
			Closeable claim, boolean nameHolders) {
		// Only UDP holders share their port's datagrams; TCP blocks do not load JNA for
		// it.
		return hold(backend, protocol, block, token, claim, nameHolders,
				(protocol == Protocol.UDP) ? DatagramSteering.kernel() : NOT_NEEDED);
	}

	/**
	 * Holds every port of the block, or none.
	 * @param backend the backend the reservation reports
	 * @param protocol the protocol
	 * @param block the block
	 * @param token the token the reservation reports
	 * @param claim this process's claim on the block, closed with the reservation (or at
	 * once if the hold fails)
	 * @param nameHolders whether a {@code CONFLICT} names who holds the port (a look-up
	 * through {@code /proc}); false where the caller tries another block instead of
	 * reporting it
	 * @param steering how UDP holders keep out of their channels' way
	 * @return the reservation
	 */
	static RuntimeBlockReservation hold(LinuxPortReservations backend, Protocol protocol, PortBlock block, long token,
			Closeable claim, boolean nameHolders, DatagramSteering steering) {
		AtomicReferenceArray<NetworkChannel> holders = new AtomicReferenceArray<>(block.count());
		Closeable[] ipv6Holders = null;
		int port = block.startPort();
		try {
			for (; port <= block.endPort(); port++) {
				NetworkChannel holder = HolderSocket.open(protocol, port);
				holders.set(port - block.startPort(), holder);
				if (ipv6Holders == null && HolderSocket.ipv4Only(holder)) {
					ipv6Holders = new Closeable[block.count()];
				}
				if (ipv6Holders != null) {
					ipv6Holders[port - block.startPort()] = openIpv6(protocol, block, port);
				}
			}
			return new RuntimeBlockReservation(backend, block, protocol, token, holders, ipv6Holders, claim, steering);
		}
		catch (IOException | RuntimeException ex) {
			closeAll(holders);
			closeAll(ipv6Holders);
			Closeables.closeQuietly(claim);
			throw (ex instanceof IOException io) ? holdFailure(protocol, block, port, io, nameHolders)
					: (RuntimeException) ex;
		}
	}

	private static Closeable openIpv6(Protocol protocol, PortBlock block, int port) throws IOException {
		try {
			return HolderSocket.openIpv6(protocol, port);
		}
		catch (LinkageError | RuntimeException ex) {
			// JNA's native part cannot be loaded or called: holding only IPv4 would be a
			// silent half-protection.
			throw PortReservationException
				.builder(Reason.UNSUPPORTED, "This JVM runs with -Djava.net.preferIPv4Stack=true, so its sockets "
						+ "cannot hold the IPv6 side of the block, and holding it natively through JNA failed (" + ex
						+ "); remove -Djava.net.preferIPv4Stack=true or make JNA's native library loadable")
				.problem(PortReservationException.Problem.IPV4_ONLY_JVM)
				.block(block)
				.protocol(protocol)
				.port(port)
				.cause(ex)
				.build();
		}
	}

	private static PortReservationException holdFailure(Protocol protocol, PortBlock block, int port, IOException ex,
			boolean nameHolders) {
		String message = String.valueOf(ex.getMessage());
		OptionalInt errno = LinuxErrors.errno(ex);
		Long nativeCode = errno.isPresent() ? LinuxErrors.code(errno.getAsInt()) : null;
		if (LinuxErrors.privilegedPortRefused(ex, port)) {
			return PortReservationException
				.builder(Reason.ACCESS_DENIED,
						"Port " + port + " is a privileged port (below net.ipv4.ip_unprivileged_port_start); "
								+ "reserve a block above it or grant the process CAP_NET_BIND_SERVICE")
				.block(block)
				.protocol(protocol)
				.port(port)
				.operation(Operation.ACQUIRE_RUNTIME)
				.problem(Problem.PRIVILEGED_PORT)
				.nativeCode(nativeCode)
				.backend(LinuxPortReservations.NAME)
				.cause(ex)
				.build();
		}
		if (ex instanceof BindException) {
			List<PortHolder> holders = nameHolders ? new LinuxPortHolders().find(protocol, port) : List.of();
			return PortReservationException
				.builder(Reason.CONFLICT,
						"Port " + port + " of the block is in use by another " + protocol + " socket (" + message + ")"
								+ PortHolder.describeAll(holders) + "; choose another block or stop its user")
				.block(block)
				.protocol(protocol)
				.port(port)
				.operation(Operation.ACQUIRE_RUNTIME)
				.problem(Problem.PORT_IN_USE)
				.nativeCode(nativeCode)
				.backend(LinuxPortReservations.NAME)
				.cause(ex)
				.holders(holders)
				.build();
		}
		return PortReservationException
			.builder(Reason.SYSTEM_ERROR, "Holding " + protocol + " port " + port + " failed: " + message)
			.block(block)
			.protocol(protocol)
			.port(port)
			.operation(Operation.ACQUIRE_RUNTIME)
			.nativeCode(nativeCode)
			.backend(LinuxPortReservations.NAME)
			.cause(ex)
			.build();
	}

	@Override
	public long token() {
		return this.token;
	}

	@Override
	public List<Integer> unheldPorts() {
		List<Integer> ports = new ArrayList<>();
		for (int port : this.unheld) {
			if (!isBoundByOpenChannel(port)) {
				ports.add(port);
			}
		}
		// A channel closed but not yet reaped left its port to anyone until the next
		// refresh.
		for (int port : this.handedOff) {
			if (!isBoundByOpenChannel(port) && !ports.contains(port)) {
				ports.add(port);
			}
		}
		ports.sort(null);
		return List.copyOf(ports);
	}

	/**
	 * @return the ports currently held by a holder socket
	 */
	Set<Integer> heldPorts() {
		Set<Integer> held = new TreeSet<>();
		for (int offset = 0; offset < this.holders.length(); offset++) {
			if (this.holders.get(offset) != null) {
				held.add(block().startPort() + offset);
			}
		}
		return held;
	}

	@Override
	protected void prepare(NetworkChannel channel, int port) throws IOException {
		channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
	}

	@Override
	protected void handedOver(NetworkChannel channel, int port) throws IOException {
		if (protocol() == Protocol.TCP) {
			return;
		}
		int offset = port - block().startPort();
		this.unheld.remove(port);
		NetworkChannel holder = this.holders.get(offset);
		if (holder == null) {
			// A port that was unheld: the channel is its only protection until it closes.
			this.handedOff.add(port);
			requestPromptCheck();
			return;
		}
		InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
		if (!bound.getAddress().isAnyLocalAddress()) {
			// Bound to one address: the kernel prefers it over the holder's wildcard, no
			// group is formed.
			return;
		}
		if (this.steering.steerAwayFrom(holder) != DatagramSteering.Outcome.UNAVAILABLE) {
			return;
		}
		if (!bound.equals(holder.getLocalAddress())) {
			// Another address family's wildcard (an IPv4 channel beside the dual-stack
			// holder): no group, and the
			// kernel prefers the channel's family; giving the holder up would leave the
			// other family's addresses.
			return;
		}
		warnSteeringUnavailable();
		this.holders.set(offset, null);
		Closeables.closeQuietly(holder);
		this.handedOff.add(port);
		requestPromptCheck();
	}

	@Override
	protected void portReturned(int port) {
		// Runs on every bind that follows a close: the sets are empty unless a port was
		// handed off or lent, so look before paying for a boxed search.
		if (!this.handedOff.isEmpty()) {
			this.handedOff.remove(port);
		}
		int offset = port - block().startPort();
		NetworkChannel held = this.holders.get(offset);
		if (held == null) {
			this.lender.forget(port);
			holdAgain(port);
			return;
		}
		if (!this.lender.returnedToHolder(port, held)) {
			// Still open to SO_REUSEADDR: replaced by a new exclusive holder.
			this.holders.set(offset, null);
			Closeables.closeQuietly(held);
			holdAgain(port);
		}
	}

	@Override
	protected PortLender lender() {
		return this.lender;
	}

	@Override
	protected void maintain() {
		if (!this.unheld.isEmpty()) {
			for (int port : this.unheld) {
				if (!isLeased(port) && (protocol() != Protocol.TCP || this.holdRetries.mayRun(port))) {
					holdAgain(port);
				}
			}
		}
		this.lender.maintain(this.leased);
	}

	@Override
	protected boolean needsPromptCheck() {
		return !this.handedOff.isEmpty() || this.lender.needsPromptCheck();
	}

	@Override
	protected void release() {
		closeAll(this.holders);
		closeAll(this.ipv6Holders);
		this.handedOff.clear();
		this.unheld.clear();
		this.lender.clear();
		this.holdRetries.clear();
		Closeables.closeQuietly(this.claim);
	}

	private void holdAgain(int port) {
		try {
			this.holders.set(port - block().startPort(), HolderSocket.open(protocol(), port));
			if (this.unheld.remove(port)) {
				this.holdRetries.forget(port);
			}
		}
		catch (IOException ex) {
			// Another socket took the port since, or no file descriptor is left: reported
			// by unheldPorts() and
			// retried on the next bind or refresh.
			this.unheld.add(port);
		}
	}

	private void warnSteeringUnavailable() {
		if (STEERING_WARNED.compareAndSet(false, true)) {
			LOGGER.log(Level.WARNING,
					"UDP holder sockets cannot steer datagrams to wildcard-bound channels ("
							+ this.steering.unavailable() + "): such a channel's port is held by the channel alone and "
							+ "held again within milliseconds of its close");
		}
	}

	private static void closeAll(Closeable[] holders) {
		if (holders != null) {
			for (Closeable holder : holders) {
				Closeables.closeQuietly(holder);
			}
		}
	}

	private static void closeAll(AtomicReferenceArray<NetworkChannel> holders) {
		for (int offset = 0; offset < holders.length(); offset++) {
			Closeables.closeQuietly(holders.getAndSet(offset, null));
		}
	}

}
