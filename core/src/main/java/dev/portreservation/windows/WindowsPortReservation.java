package dev.portreservation.windows;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
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
 * A block held by the Windows port pool. Every bind associates the channel with the token first, then binds
 * it to port 0 (the OS picks a free port of the block) or to the port asked for.
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
		catch (BindException ex) {
			throw bindFailure(port, this.backend.lastError(), ex);
		}
		return ((InetSocketAddress) channel.getLocalAddress()).getPort();
	}

	@Override
	protected int bindDatagram(DatagramChannel channel, InetSocketAddress local, int port) throws IOException {
		this.backend.associate(channel, this);
		try {
			channel.bind(withPort(local, port));
		}
		catch (BindException ex) {
			throw bindFailure(port, this.backend.lastError(), ex);
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
			// The OS ends a runtime reservation with its socket anyway, so nothing stays reserved.
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
	 * Maps a failed bind of an associated channel. The JDK reports both WSAEADDRINUSE and WSAEACCES as
	 * "Address already in use"; WinSock's last error, read on this thread right after the bind, tells them
	 * apart when the platform sets it.
	 * @param port the port asked for, 0 for any port of the block
	 * @param lastError {@code WSAGetLastError()} after the bind, 0 when unknown
	 * @param ex the JDK's exception
	 * @return the exception to throw
	 */
	PortReservationException bindFailure(int port, int lastError, BindException ex) {
		Long code = (lastError == WinSock.WSAEADDRINUSE || lastError == WinSock.WSAEACCES
				|| lastError == WinSock.WSAENOBUFS) ? Long.valueOf(lastError) : null;
		String cause = (code != null) ? " (" + WindowsErrors.winSockName(lastError) + ")" : "";
		if (lastError == WinSock.WSAEACCES) {
			return failure(Reason.ACCESS_DENIED, "bind was denied" + cause + " although the JDK reports '"
					+ ex.getMessage() + "': " + ((kind() == ReservationKind.PERSISTENT) ? WindowsErrors.ELEVATION_HINT
							: "the port is reserved by another reservation or excluded by the system"),
					code, ex);
		}
		if (port != 0) {
			List<PortHolder> holders = this.backend.holders().find(protocol(), port);
			return failure(Reason.CONFLICT, "Port " + port + " of the block is in use by another socket" + cause
					+ PortHolder.describeAll(holders), code, ex).withHolders(holders);
		}
		// This process's own channels are the leases, which callers name; the message names the others.
		long self = ProcessHandle.current().pid();
		List<PortHolder> others = this.backend.holders().find(protocol(), block()).stream()
			.filter((holder) -> holder.pid() != self)
			.toList();
		return failure(Reason.EXHAUSTED, "Every port of the block is in use (" + block().count()
				+ " ports): bind of an associated socket failed" + cause + PortHolder.describeAll(others)
				+ "; raise the count or release ports", code, ex).withHolders(others);
	}

	private static InetSocketAddress withPort(InetSocketAddress local, int port) {
		return (local == null || local.getAddress() == null) ? new InetSocketAddress(port)
				: new InetSocketAddress(local.getAddress(), port);
	}

}
