package dev.portreservation.core.internal;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.List;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

/**
 * A reservation whose backend binds each channel to an explicit port of the block, chosen
 * here: free ports are tried from a rotating cursor, a port another socket has is
 * skipped, and the bind fails with {@link Reason#EXHAUSTED} when every port was tried.
 * Used where the OS cannot be told to pick from the block itself (Linux, the portable
 * fallback); on Windows the OS picks.
 * <p>
 * A {@link BindException} does not always mean "port in use": the JDK uses it for a local
 * address this host does not have ({@code EADDRNOTAVAIL}) and for a privileged port
 * ({@code EACCES}) too. {@link BindDiagnosis} tells them apart from facts, so such a bind
 * fails at once with {@link Reason#INVALID} or {@link Reason#ACCESS_DENIED} naming the
 * address and the error, never as a conflict or an exhausted block.
 */
public abstract class ExplicitBindPortReservation extends AbstractPortReservation {

	private int cursor;

	private final PortLender probing;

	protected ExplicitBindPortReservation(PortReservations backend, PortBlock block, Protocol protocol,
			ReservationKind kind, boolean createdByThisProcess) {
		super(backend, block, protocol, kind, createdByThisProcess);
		this.probing = new ProbingPortLender(protocol);
	}

	@Override
	protected final int bindServer(ServerSocketChannel channel, InetSocketAddress local, int port, int backlog)
			throws IOException {
		return bindExplicitly(channel, local, port, backlog);
	}

	@Override
	protected final int bindDatagram(DatagramChannel channel, InetSocketAddress local, int port) throws IOException {
		return bindExplicitly(channel, local, port, 0);
	}

	/**
	 * Prepares a channel for binding to a port of the block, for example by setting
	 * socket options the platform's hand-off needs. Called before every attempt.
	 * @param channel the channel about to be bound
	 * @param port the port it will be bound to
	 * @throws IOException when the channel cannot be prepared
	 */
	protected void prepare(NetworkChannel channel, int port) throws IOException {
	}

	/**
	 * Called after a channel was bound to a port of the block.
	 * @param channel the bound channel
	 * @param port its port
	 * @throws IOException when the hand-off fails; the channel is then closed and the
	 * bind fails
	 */
	protected void handedOver(NetworkChannel channel, int port) throws IOException {
	}

	/**
	 * Lends a port when no socket of any process has it, probed by an exclusive bind.
	 * Backends that hold their ports with sockets override this.
	 */
	@Override
	protected PortLender lender() {
		return this.probing;
	}

	private int bindExplicitly(NetworkChannel channel, InetSocketAddress local, int requested, int backlog)
			throws IOException {
		InetAddress address = (local != null) ? local.getAddress() : null;
		try {
			if (requested != 0) {
				try {
					attempt(channel, local, requested, backlog);
					return requested;
				}
				catch (BindException ex) {
					BindDiagnosis diagnosis = new BindDiagnosis(protocol(), address);
					requireBindableAddress(diagnosis, address, ex);
					throw portFailure(diagnosis.port(requested), address, requested, ex);
				}
			}
			return bindAnyPort(channel, local, address, backlog);
		}
		catch (UnsupportedAddressTypeException | UnresolvedAddressException ex) {
			throw failureBuilder(Reason.INVALID, "Cannot bind to " + describe(address) + ": the channel cannot "
					+ "use that kind of address (" + ex + ")")
				.address(address)
				.cause(ex)
				.build();
		}
	}

	private int bindAnyPort(NetworkChannel channel, InetSocketAddress local, InetAddress address, int backlog)
			throws IOException {
		PortBlock block = block();
		// Made on the first failure only: a bind that succeeds at once pays nothing for
		// the diagnosis.
		BindDiagnosis diagnosis = null;
		int count = block.count();
		int inUse = 0;
		BindException privileged = null;
		for (int i = 0; i < count; i++) {
			int offset = (this.cursor + i) % count;
			int port = block.startPort() + offset;
			if (isLeased(port)) {
				inUse++;
				continue;
			}
			try {
				attempt(channel, local, port, backlog);
				this.cursor = (offset + 1) % count;
				return port;
			}
			catch (BindException ex) {
				diagnosis = (diagnosis != null) ? diagnosis : new BindDiagnosis(protocol(), address);
				// A bad address fails every port alike: say so at once instead of walking
				// the block.
				requireBindableAddress(diagnosis, address, ex);
				if (diagnosis.port(port) == Problem.PRIVILEGED_PORT) {
					privileged = ex;
				}
				else {
					// Held by another process sharing the block: try the next port.
					inUse++;
				}
			}
		}
		if (inUse == 0 && privileged != null) {
			throw portFailure(Problem.PRIVILEGED_PORT, address, block.startPort(), privileged);
		}
		// This process's own channels are the leases, which callers name; the message
		// names the others.
		long self = ProcessHandle.current().pid();
		List<PortHolder> others = holders(block).stream().filter((holder) -> holder.pid() != self).toList();
		throw failureBuilder(Reason.EXHAUSTED,
				"Every port of the block is in use (" + count + " ports)" + PortHolder.describeAll(others)
						+ "; a larger block or fewer users of it is needed")
			.problem(Problem.PORT_IN_USE)
			.holders(others)
			.build();
	}

	private void requireBindableAddress(BindDiagnosis diagnosis, InetAddress address, BindException ex) {
		BindDiagnosis.AddressState state = diagnosis.address();
		if (state.bindable()) {
			return;
		}
		if (state.problem() == Problem.ADDRESS_NOT_LOCAL) {
			throw failureBuilder(Reason.INVALID,
					"Cannot bind to " + describe(address) + ": no network interface "
							+ "of this host has that address (EADDRNOTAVAIL: " + ex.getMessage() + ")")
				.problem(Problem.ADDRESS_NOT_LOCAL)
				.address(address)
				.nativeCode(BindDiagnosis.linuxErrno(Problem.ADDRESS_NOT_LOCAL))
				.cause(ex)
				.build();
		}
		throw failureBuilder(Reason.SYSTEM_ERROR,
				"Cannot bind to " + describe(address) + " on any port: " + state.failure())
			.address(address)
			.cause(ex)
			.build();
	}

	private PortReservationException portFailure(Problem problem, InetAddress address, int port, BindException ex) {
		if (problem == Problem.PRIVILEGED_PORT) {
			return failureBuilder(Reason.ACCESS_DENIED,
					"Cannot bind port " + port + " on " + describe(address)
							+ ": it is a privileged port (below ip_unprivileged_port_start) and the process lacks "
							+ "CAP_NET_BIND_SERVICE (EACCES: " + ex.getMessage() + ")")
				.problem(problem)
				.port(port)
				.address(address)
				.nativeCode(BindDiagnosis.linuxErrno(problem))
				.cause(ex)
				.build();
		}
		List<PortHolder> holders = holders(new PortBlock(port, 1));
		return failureBuilder(Reason.CONFLICT,
				"Port " + port + " of the block is in use by another socket on " + describe(address) + " (EADDRINUSE: "
						+ ex.getMessage() + ")" + PortHolder.describeAll(holders))
			.problem(Problem.PORT_IN_USE)
			.port(port)
			.address(address)
			.nativeCode(BindDiagnosis.linuxErrno(problem))
			.cause(ex)
			.holders(holders)
			.build();
	}

	private static String describe(InetAddress address) {
		return (address != null) ? address.getHostAddress() : "the wildcard address";
	}

	private void attempt(NetworkChannel channel, InetSocketAddress local, int port, int backlog) throws IOException {
		prepare(channel, port);
		InetSocketAddress address = withPort(local, port);
		if (channel instanceof ServerSocketChannel server) {
			server.bind(address, backlog);
		}
		else {
			channel.bind(address);
		}
		try {
			handedOver(channel, port);
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	private static InetSocketAddress withPort(InetSocketAddress local, int port) {
		return (local == null || local.getAddress() == null) ? new InetSocketAddress(port)
				: new InetSocketAddress(local.getAddress(), port);
	}

}
