package dev.portreservation.windows;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;
import dev.portreservation.core.internal.AbstractPortReservation;
import dev.portreservation.core.internal.Closeables;
import dev.portreservation.core.internal.PortLender;
import dev.portreservation.core.internal.ProbingPortLender;

/**
 * A block held by the Windows port pool. Every bind associates the channel with the token
 * first, then binds it to port 0 (the OS picks a free port of the block) or to the port
 * asked for.
 */
final class WindowsPortReservation extends AbstractPortReservation {

	private final WindowsPortReservations backend;

	private final long token;

	/** The socket that acquired a runtime block; {@code null} for a persistent one. */
	private final NetworkChannel anchor;

	/**
	 * Ports lent to components that bind them themselves (persistent blocks only), under
	 * the reservation's lock: while there are any, a bind for any port picks the port
	 * itself, because Windows' own pick could land on a lent port.
	 */
	private final Set<Integer> lent = new HashSet<>();

	/** Lends through {@link #lendPort}; a lent port is checked by an exclusive probe. */
	private final PortLender lender;

	WindowsPortReservation(WindowsPortReservations backend, PortBlock block, Protocol protocol, ReservationKind kind,
			boolean createdByThisProcess, long token, NetworkChannel anchor) {
		super(backend, block, protocol, kind, createdByThisProcess);
		this.backend = backend;
		this.token = token;
		this.anchor = anchor;
		this.lender = new ProbingPortLender(protocol) {

			@Override
			public boolean lend(int port) throws IOException {
				return lendPort(port);
			}

		};
	}

	@Override
	public long token() {
		return this.token;
	}

	@Override
	protected int bindServer(ServerSocketChannel channel, InetSocketAddress local, int port, int backlog)
			throws IOException {
		return bindAssociated(channel, local, port, (address) -> channel.bind(address, backlog));
	}

	@Override
	protected int bindDatagram(DatagramChannel channel, InetSocketAddress local, int port) throws IOException {
		return bindAssociated(channel, local, port, channel::bind);
	}

	private int bindAssociated(NetworkChannel channel, InetSocketAddress local, int port, ChannelBind bind)
			throws IOException {
		this.backend.associate(channel, this);
		if (port == 0 && !this.lent.isEmpty()) {
			return bindAroundLentPorts(channel, local, bind);
		}
		try {
			bind.bind(withPort(local, port));
		}
		catch (SocketException ex) {
			throw bindFailure(local, port, ex);
		}
		return ((InetSocketAddress) channel.getLocalAddress()).getPort();
	}

	/**
	 * A bind for any port while ports are lent: the first port of the block that is
	 * neither leased nor lent and that the associated channel can bind.
	 */
	private int bindAroundLentPorts(NetworkChannel channel, InetSocketAddress local, ChannelBind bind)
			throws IOException {
		SocketException last = null;
		for (int candidate = block().startPort(); candidate <= block().endPort(); candidate++) {
			if (isLeased(candidate) || this.lent.contains(candidate)) {
				continue;
			}
			try {
				bind.bind(withPort(local, candidate));
				return ((InetSocketAddress) channel.getLocalAddress()).getPort();
			}
			catch (BindException ex) {
				// Taken by another socket: try the next port.
				last = ex;
			}
			catch (SocketException ex) {
				throw bindFailure(local, 0, ex);
			}
		}
		throw bindFailure(local, 0, (last != null) ? last
				: new BindException("every port of the block is leased or lent (" + this.lent.size() + " lent)"));
	}

	/**
	 * Lends a port of a persistent block, whose port pool entry keeps the port out of
	 * automatic assignment and out of other reservations. Whether the component, whose
	 * socket is not associated with the reservation, may then bind the port is asked of
	 * the system on the port itself: a fresh socket that is not associated binds it and
	 * is closed. Where that bind is refused but an associated one succeeds, Windows
	 * refuses the block to sockets without the token and lending is
	 * {@link Reason#UNSUPPORTED}. Runtime blocks never lend: the port pool refuses their
	 * ports to every socket that was not associated.
	 */
	@Override
	protected PortLender lender() {
		return this.lender;
	}

	private boolean lendPort(int port) throws IOException {
		if (kind() != ReservationKind.PERSISTENT) {
			throw failureBuilder(Reason.UNSUPPORTED, "A runtime block on Windows cannot lend port " + port
					+ " to a component that binds it itself: Windows refuses every port of a runtime reservation to a "
					+ "socket that is not associated with it (WSAEACCES). Bind the component's channel through the "
					+ "reservation, or use a persistent block (kind: persistent), whose ports can be lent where "
					+ "Windows lets such sockets bind them")
				.port(port)
				.build();
		}
		if (bindsWithoutToken(port)) {
			this.lent.add(port);
			return true;
		}
		if (!bindsWithToken(port)) {
			// Another socket has the port: lend the next one.
			return false;
		}
		throw failureBuilder(Reason.UNSUPPORTED,
				"Windows refuses port " + port + " of this persistent block to a "
						+ "socket that is not associated with the reservation (a socket with the token binds it), so a "
						+ "component that binds the port itself could not; bind the component's channel through the "
						+ "reservation instead")
			.port(port)
			.build();
	}

	@Override
	protected void portReturned(int port) {
		this.lent.remove(port);
	}

	private boolean bindsWithoutToken(int port) throws IOException {
		try (NetworkChannel probe = open()) {
			probe.bind(new InetSocketAddress(port));
			return true;
		}
		catch (SocketException ex) {
			return false;
		}
	}

	private boolean bindsWithToken(int port) throws IOException {
		try (NetworkChannel probe = open()) {
			this.backend.associate(probe, this);
			probe.bind(new InetSocketAddress(port));
			return true;
		}
		catch (SocketException ex) {
			return false;
		}
	}

	private NetworkChannel open() throws IOException {
		return (protocol() == Protocol.TCP) ? ServerSocketChannel.open() : DatagramChannel.open();
	}

	@Override
	protected void release() {
		if (this.anchor == null) {
			// A persistent block stays with the OS until deleted.
			return;
		}
		int error;
		try {
			error = this.backend.release(this.anchor, this.token);
		}
		finally {
			// The OS ends a runtime reservation with its socket anyway, so nothing stays
			// reserved.
			Closeables.closeQuietly(this.anchor);
		}
		if (error != 0) {
			throw WindowsErrors.winSock("SIO_RELEASE_PORT_RESERVATION", error, false, false, block(), protocol());
		}
	}

	@Override
	public String toString() {
		return super.toString() + " token " + Long.toUnsignedString(this.token);
	}

	/**
	 * Decides why the bind of a channel this reservation associated failed, from facts
	 * rather than from the JDK's exception: on Windows the JDK turns a refused bind
	 * (WSAEACCES) into "Address already in use" and overwrites the thread's last error,
	 * and reports a full reservation (WSAENOBUFS) as a plain {@link SocketException}. In
	 * this order:
	 * <ol>
	 * <li>an address that is not one of this machine's is {@link Reason#INVALID};</li>
	 * <li>the system is asked again whether this process may bind from the reservation (a
	 * fresh socket is associated with the token): WSAEACCES is
	 * {@link Reason#ACCESS_DENIED} (not elevated), any other refusal means the
	 * reservation is gone ({@link Reason#NOT_FOUND} for a persistent block, else
	 * {@link Reason#INVALID}), with that native code;</li>
	 * <li>the channel was associated and the system still grants the block, so an
	 * explicit port is taken by another socket ({@link Reason#CONFLICT}) and a request
	 * for any port found none free ({@link Reason#EXHAUSTED}).</li>
	 * </ol>
	 * @param local the address asked for, or {@code null}
	 * @param port the port asked for, 0 for any port of the block
	 * @param ex the JDK's exception
	 * @return the exception to throw
	 */
	PortReservationException bindFailure(InetSocketAddress local, int port, SocketException ex) {
		String jdk = "the JDK reports '" + ex.getMessage() + "'";
		InetAddress address = (local != null) ? local.getAddress() : null;
		if (address != null && !LocalAddresses.isLocal(address)) {
			return failure(
					Reason.INVALID, "Cannot bind to " + address.getHostAddress() + ": it is not an address of "
							+ "this machine (" + jdk + "); bind to a local address or to the wildcard address",
					null, ex);
		}
		int access = this.backend.checkAssociation(this);
		if (access == WinSock.WSAEACCES) {
			return failure(Reason.ACCESS_DENIED,
					"The bind was refused and the system denies this process the block ("
							+ WindowsErrors.winSockName(access) + " from SIO_ASSOCIATE_PORT_RESERVATION; " + jdk + "): "
							+ WindowsErrors.ELEVATION_HINT,
					Long.valueOf(access), ex);
		}
		if (access != 0) {
			boolean persistent = kind() == ReservationKind.PERSISTENT;
			return failure(persistent ? Reason.NOT_FOUND : Reason.INVALID, "The bind was refused and the reservation "
					+ "no longer exists (" + WindowsErrors.winSockName(access)
					+ " from SIO_ASSOCIATE_PORT_RESERVATION; " + jdk + "): " + (persistent
							? "the persistent block was deleted by another process" : "the runtime block was released"),
					Long.valueOf(access), ex);
		}
		if (port != 0) {
			List<PortHolder> holders = this.backend.holders().find(protocol(), port);
			return failureBuilder(Reason.CONFLICT,
					"Port " + port + " of the block is in use by another socket (" + jdk + ")"
							+ PortHolder.describeAll(holders))
				.problem(Problem.PORT_IN_USE)
				.port(port)
				.cause(ex)
				.holders(holders)
				.build();
		}
		// This process's own channels are the leases, which callers name; the message
		// names the others.
		long self = ProcessHandle.current().pid();
		List<PortHolder> others = this.backend.holders()
			.find(protocol(), block())
			.stream()
			.filter((holder) -> holder.pid() != self)
			.toList();
		return failureBuilder(Reason.EXHAUSTED,
				"Every port of the block is in use (" + block().count() + " ports, " + portsInUse()
						+ " of them by this application; " + jdk + ")" + PortHolder.describeAll(others)
						+ "; raise the count or release ports")
			.problem(Problem.PORT_IN_USE)
			.cause(ex)
			.holders(others)
			.build();
	}

	@FunctionalInterface
	private interface ChannelBind {

		void bind(InetSocketAddress address) throws IOException;

	}

	private static InetSocketAddress withPort(InetSocketAddress local, int port) {
		return (local == null || local.getAddress() == null) ? new InetSocketAddress(port)
				: new InetSocketAddress(local.getAddress(), port);
	}

}
