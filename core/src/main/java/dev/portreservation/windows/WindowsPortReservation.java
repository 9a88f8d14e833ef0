package dev.portreservation.windows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.List;

import dev.portreservation.core.AbstractPortReservation;
import dev.portreservation.core.Closeables;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

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

	WindowsPortReservation(WindowsPortReservations backend, PortBlock block, Protocol protocol, ReservationKind kind,
			boolean createdByThisProcess, long token, NetworkChannel anchor) {
		super(backend, block, protocol, kind, createdByThisProcess);
		this.backend = backend;
		this.token = token;
		this.anchor = anchor;
	}

	@Override
	public long token() {
		return this.token;
	}

	@Override
	protected int bindServer(ServerSocketChannel channel, InetSocketAddress local, int port, int backlog)
			throws IOException {
		this.backend.associate(channel, this);
		try {
			channel.bind(withPort(local, port), backlog);
		}
		catch (SocketException ex) {
			throw bindFailure(local, port, ex);
		}
		return ((InetSocketAddress) channel.getLocalAddress()).getPort();
	}

	@Override
	protected int bindDatagram(DatagramChannel channel, InetSocketAddress local, int port) throws IOException {
		this.backend.associate(channel, this);
		try {
			channel.bind(withPort(local, port));
		}
		catch (SocketException ex) {
			throw bindFailure(local, port, ex);
		}
		return ((InetSocketAddress) channel.getLocalAddress()).getPort();
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
					"The bind was refused and the system denies this process the block " + "("
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
			return failure(Reason.CONFLICT, "Port " + port + " of the block is in use by another socket (" + jdk + ")"
					+ PortHolder.describeAll(holders), null, ex)
				.withHolders(holders);
		}
		// This process's own channels are the leases, which callers name; the message
		// names the others.
		long self = ProcessHandle.current().pid();
		List<PortHolder> others = this.backend.holders()
			.find(protocol(), block())
			.stream()
			.filter((holder) -> holder.pid() != self)
			.toList();
		return failure(Reason.EXHAUSTED,
				"Every port of the block is in use (" + block().count() + " ports, " + portsInUse()
						+ " of them by this application; " + jdk + ")" + PortHolder.describeAll(others)
						+ "; raise the count or release ports",
				null, ex)
			.withHolders(others);
	}

	private static InetSocketAddress withPort(InetSocketAddress local, int port) {
		return (local == null || local.getAddress() == null) ? new InetSocketAddress(port)
				: new InetSocketAddress(local.getAddress(), port);
	}

}
