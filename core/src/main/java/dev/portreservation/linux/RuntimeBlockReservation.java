package dev.portreservation.linux;

import java.io.IOException;
import java.net.BindException;
import java.net.StandardSocketOptions;
import java.nio.channels.Channel;
import java.nio.channels.NetworkChannel;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.portreservation.core.ExplicitBindPortReservation;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

/**
 * A runtime block held by one {@link HolderSocket} per port. Binding a channel sets {@code SO_REUSEPORT} on
 * it and binds it next to the port's holder.
 * <p>
 * A TCP holder stays open for the life of the reservation: it never listens, so the kernel gives every
 * connection to the channel, and the port stays held through the channel's close with no gap and no system
 * call on the bind path. A UDP holder is handed over, closed once the channel is bound, because
 * {@code SO_REUSEPORT} would spread the channel's datagrams over both sockets; when a leased UDP channel
 * closes, a new holder takes the port back.
 */
final class RuntimeBlockReservation extends ExplicitBindPortReservation {

	private final long token;

	/**
	 * The holder of each port, indexed by the port's offset in the block ({@code null}: not held). An array
	 * rather than a map keeps the bind path's look-up constant-time at any block size; atomic so that the
	 * diagnostics below can read it while a bind changes it under the reservation's lock.
	 */
	private final AtomicReferenceArray<NetworkChannel> holders;

	/** Ports whose holder could not be re-created because another socket took the port meanwhile. */
	private final Set<Integer> lost = new ConcurrentSkipListSet<>();

	private RuntimeBlockReservation(PortBlock block, Protocol protocol, long token,
			AtomicReferenceArray<NetworkChannel> holders) {
		super(block, protocol, ReservationKind.RUNTIME, true);
		this.token = token;
		this.holders = holders;
	}

	/**
	 * Holds every port of the block, or none.
	 * @param protocol the protocol
	 * @param block the block
	 * @param token the token the reservation reports
	 * @return the reservation
	 * @throws PortReservationException {@code CONFLICT} naming the first port another socket has,
	 * {@code ACCESS_DENIED} for a privileged port without {@code CAP_NET_BIND_SERVICE}
	 */
	static RuntimeBlockReservation hold(Protocol protocol, PortBlock block, long token) {
		AtomicReferenceArray<NetworkChannel> holders = new AtomicReferenceArray<>(block.count());
		int port = block.startPort();
		try {
			for (; port <= block.endPort(); port++) {
				holders.set(port - block.startPort(), HolderSocket.open(protocol, port));
			}
			return new RuntimeBlockReservation(block, protocol, token, holders);
		}
		catch (IOException ex) {
			closeAll(holders);
			throw holdFailure(protocol, block, port, ex);
		}
	}

	private static PortReservationException holdFailure(Protocol protocol, PortBlock block, int port,
			IOException ex) {
		String message = String.valueOf(ex.getMessage());
		if (message.contains("Permission denied")) {
			return new PortReservationException(Reason.ACCESS_DENIED, "Port " + port + " is a privileged port "
					+ "(below net.ipv4.ip_unprivileged_port_start); reserve a block above it or grant the process "
					+ "CAP_NET_BIND_SERVICE", block, protocol, null, ex);
		}
		if (ex instanceof BindException) {
			return new PortReservationException(Reason.CONFLICT, "Port " + port + " of the block is in use by "
					+ "another " + protocol + " socket (" + message + "); choose another block or stop its user",
					block, protocol, null, ex);
		}
		return new PortReservationException(Reason.SYSTEM_ERROR, "Holding " + protocol + " port " + port
				+ " failed: " + message, block, protocol, null, ex);
	}

	@Override
	public long token() {
		return this.token;
	}

	@Override
	public String backend() {
		return LinuxPortReservations.NAME;
	}

	@Override
	public boolean kernelEnforced() {
		return true;
	}

	/**
	 * @return ports of the block that this reservation no longer holds because another socket took them
	 * after a leased channel closed
	 */
	Set<Integer> lostPorts() {
		return Set.copyOf(this.lost);
	}

	/** @return the ports currently held by a holder socket */
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
		NetworkChannel holder = this.holders.getAndSet(port - block().startPort(), null);
		if (holder != null) {
			holder.close();
		}
		this.lost.remove(port);
	}

	/**
	 * Lends a port whose holder is still there. A TCP holder is opened to {@code SO_REUSEADDR} binds (the
	 * kernel checks the flag of bound sockets at each later bind): two sockets that both set it may share a
	 * port while neither listens, so the component binds and listens beside the holder, and once it listens
	 * every other bind of the port is refused again. A UDP holder stays as it is until the hand-off.
	 */
	@Override
	protected boolean lendPort(int port) throws IOException {
		NetworkChannel holder = this.holders.get(port - block().startPort());
		if (holder == null) {
			return false;
		}
		if (protocol() == Protocol.TCP) {
			holder.setOption(StandardSocketOptions.SO_REUSEADDR, true);
		}
		return true;
	}

	@Override
	protected void handOffPort(int port) throws IOException {
		NetworkChannel holder = this.holders.getAndSet(port - block().startPort(), null);
		if (holder != null) {
			holder.close();
		}
	}

	@Override
	protected void portReturned(int port) {
		NetworkChannel held = this.holders.get(port - block().startPort());
		if (held != null) {
			// Back to an exclusive hold if the port was lent with its holder opened to SO_REUSEADDR.
			try {
				held.setOption(StandardSocketOptions.SO_REUSEADDR, false);
			}
			catch (IOException ex) {
				this.lost.add(port);
			}
			return;
		}
		try {
			this.holders.set(port - block().startPort(), HolderSocket.open(protocol(), port));
			this.lost.remove(port);
		}
		catch (IOException ex) {
			// Someone took the port between our channel's close and now; a later bind finds it busy and
			// skips it, and the port is reported by lostPorts().
			this.lost.add(port);
		}
	}

	@Override
	protected void release() {
		closeAll(this.holders);
		this.lost.clear();
	}

	private static void closeAll(AtomicReferenceArray<NetworkChannel> holders) {
		for (int offset = 0; offset < holders.length(); offset++) {
			NetworkChannel holder = holders.getAndSet(offset, null);
			if (holder != null) {
				closeQuietly(holder);
			}
		}
	}

	private static void closeQuietly(Channel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// Closing a socket that was never connected does not fail in a way anyone could act on.
		}
	}

}
