package dev.portreservation.core;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;

import dev.portreservation.core.PortReservationException.Reason;

/**
 * A reservation whose backend binds each channel to an explicit port of the block, chosen here: free ports
 * are tried from a rotating cursor, a port another process holds ({@link BindException}) is skipped, and
 * the bind fails with {@link Reason#EXHAUSTED} when every port was tried. Used where the OS cannot be told
 * to pick from the block itself (Linux, the portable fallback); on Windows the OS picks.
 */
public abstract class ExplicitBindPortReservation extends AbstractPortReservation {

	private int cursor;

	protected ExplicitBindPortReservation(PortBlock block, Protocol protocol, ReservationKind kind,
			boolean createdByThisProcess) {
		super(block, protocol, kind, createdByThisProcess);
	}

	@Override
	protected final int bindServer(ServerSocketChannel channel, InetSocketAddress local, int port, int backlog)
			throws IOException {
		return bindExplicitly(channel, port, (p) -> channel.bind(withPort(local, p), backlog));
	}

	@Override
	protected final int bindDatagram(DatagramChannel channel, InetSocketAddress local, int port)
			throws IOException {
		return bindExplicitly(channel, port, (p) -> channel.bind(withPort(local, p)));
	}

	/**
	 * Prepares a channel for binding to a port of the block, for example by setting socket options the
	 * platform's hand-off needs. Called before every attempt.
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
	 * @throws IOException when the hand-off fails; the channel is then closed and the bind fails
	 */
	protected void handedOver(NetworkChannel channel, int port) throws IOException {
	}

	/**
	 * Lends a port when no socket of any process has it: probed by binding it exclusively and closing at
	 * once. Backends that hold their ports with sockets override this.
	 */
	@Override
	protected boolean lendPort(int port) throws IOException {
		try (NetworkChannel probe = (protocol() == Protocol.TCP) ? ServerSocketChannel.open()
				: DatagramChannel.open()) {
			probe.setOption(StandardSocketOptions.SO_REUSEADDR, false);
			probe.bind(new InetSocketAddress(port));
			return true;
		}
		catch (BindException ex) {
			// Bound by another process sharing the block, or by someone else: not ours to lend.
			return false;
		}
	}

	private int bindExplicitly(NetworkChannel channel, int requested, PortBind bind) throws IOException {
		PortBlock block = block();
		if (requested != 0) {
			try {
				attempt(channel, requested, bind);
				return requested;
			}
			catch (BindException ex) {
				throw failure(Reason.CONFLICT, "Port " + requested + " of the block is in use by another socket",
						null, ex);
			}
		}
		int count = block.count();
		for (int i = 0; i < count; i++) {
			int offset = (this.cursor + i) % count;
			int port = block.startPort() + offset;
			if (isLeased(port)) {
				continue;
			}
			try {
				attempt(channel, port, bind);
				this.cursor = (offset + 1) % count;
				return port;
			}
			catch (BindException ex) {
				// Held by another process sharing the block: try the next port.
			}
		}
		throw failure(Reason.EXHAUSTED, "Every port of the block is in use (" + count + " ports); raise the count "
				+ "or release ports", null, null);
	}

	private void attempt(NetworkChannel channel, int port, PortBind bind) throws IOException {
		prepare(channel, port);
		bind.bind(port);
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

	@FunctionalInterface
	private interface PortBind {

		void bind(int port) throws IOException;

	}

}
