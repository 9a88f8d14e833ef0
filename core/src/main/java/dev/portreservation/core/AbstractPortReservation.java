package dev.portreservation.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

import dev.portreservation.core.PortReservationException.Reason;
import org.jspecify.annotations.Nullable;

/**
 * Bookkeeping every backend shares: argument checks, the lease table, release of ports whose channel was
 * closed, listeners, timing and the closed state. A backend supplies only the platform's bind
 * ({@link #bindServer}, {@link #bindDatagram}) and its release ({@link #release()}).
 * <p>
 * Binds are serialised by one lock per reservation: a bind is a few microseconds of system calls, and the
 * lock is what guarantees that two threads never lease the same port.
 */
public abstract class AbstractPortReservation implements PortReservation {

	private final PortBlock block;

	private final Protocol protocol;

	private final ReservationKind kind;

	private final boolean createdByThisProcess;

	private final ReentrantLock lock = new ReentrantLock();

	private final Map<Integer, Leased> leases = new TreeMap<>();

	private final List<PortReservationListener> listeners = new CopyOnWriteArrayList<>();

	private volatile boolean open = true;

	protected AbstractPortReservation(PortBlock block, Protocol protocol, ReservationKind kind,
			boolean createdByThisProcess) {
		this.block = block;
		this.protocol = protocol;
		this.kind = kind;
		this.createdByThisProcess = createdByThisProcess;
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
	public final boolean isOpen() {
		return this.open;
	}

	@Override
	public final List<PortLease> leases() {
		this.lock.lock();
		try {
			releaseClosedChannels();
			List<PortLease> current = new ArrayList<>(this.leases.size());
			this.leases.values().forEach((leased) -> current.add(leased.lease()));
			return Collections.unmodifiableList(current);
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public final int bind(ServerSocketChannel channel, InetSocketAddress local, int backlog, String owner) {
		requireProtocol(Protocol.TCP, "ServerSocketChannel");
		return bindChannel(channel, local, owner, (port) -> bindServer(channel, local, port, backlog));
	}

	@Override
	public final int bind(DatagramChannel channel, InetSocketAddress local, String owner) {
		requireProtocol(Protocol.UDP, "DatagramChannel");
		return bindChannel(channel, local, owner, (port) -> bindDatagram(channel, local, port));
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
		this.lock.lock();
		try {
			if (!this.open) {
				return;
			}
			this.open = false;
			release();
		}
		finally {
			this.lock.unlock();
		}
		this.listeners.forEach((listener) -> listener.closed(this));
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.kind + " " + this.protocol + " " + this.block + "]";
	}

	/**
	 * Binds a server channel through the platform.
	 * @param channel the unbound channel
	 * @param local the requested address (its port is ignored; see {@code port})
	 * @param port a port of the block the caller asked for, or 0 for any free port of the block
	 * @param backlog the listen backlog
	 * @return the bound port
	 * @throws IOException when the platform's bind fails in a way the backend does not map itself
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
	protected abstract int bindDatagram(DatagramChannel channel, InetSocketAddress local, int port)
			throws IOException;

	/**
	 * Called once, under the lock, when the reservation closes: give the block back to the OS.
	 */
	protected abstract void release();

	/**
	 * Called under the lock when a leased port's channel was found closed, before the lease is dropped, so a
	 * backend can hold the port again.
	 * @param port the port coming back to the block
	 */
	protected void portReturned(int port) {
	}

	/**
	 * Whether a port is leased by a channel of this reservation. Call only under a bind (the lock is held).
	 * @param port a port of the block
	 * @return whether it is leased
	 */
	protected final boolean isLeased(int port) {
		return this.leases.containsKey(port);
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
		return new PortReservationException(reason, message, this.block, this.protocol, nativeCode, cause);
	}

	private int bindChannel(NetworkChannel channel, InetSocketAddress local, String owner, PlatformBind bind) {
		long start = System.nanoTime();
		String who = (owner != null) ? owner : DEFAULT_OWNER;
		try {
			int requested = checkRequest(channel, local);
			this.lock.lock();
			try {
				requireOpen();
				releaseClosedChannels();
				if (requested != 0 && this.leases.containsKey(requested)) {
					throw failure(Reason.CONFLICT, "Port " + requested + " of the block is already bound by '"
							+ this.leases.get(requested).lease().owner() + "'", null, null);
				}
				int port = bind.bind(requested);
				if (!this.block.contains(port)) {
					closeQuietly(channel);
					throw failure(Reason.SYSTEM_ERROR,
							"The platform bound port " + port + ", outside the reserved block", null, null);
				}
				PortLease lease = new PortLease(port, who, Instant.now());
				this.leases.put(port, new Leased(lease, channel));
				long nanos = System.nanoTime() - start;
				this.listeners.forEach((listener) -> listener.bound(lease, nanos));
				return port;
			}
			finally {
				this.lock.unlock();
			}
		}
		catch (PortReservationException ex) {
			notifyFailure(who, ex, start);
			throw ex;
		}
		catch (IOException | RuntimeException ex) {
			PortReservationException failure = failure(Reason.SYSTEM_ERROR,
					"Binding a " + this.protocol + " channel through the reservation failed: " + ex.getMessage(),
					null, ex);
			notifyFailure(who, failure, start);
			throw failure;
		}
	}

	private int checkRequest(NetworkChannel channel, InetSocketAddress local) throws IOException {
		if (channel == null || !channel.isOpen()) {
			throw failure(Reason.INVALID, "The channel to bind is null or closed", null, null);
		}
		if (channel.getLocalAddress() != null) {
			throw failure(Reason.INVALID, "The channel is already bound to " + channel.getLocalAddress(), null,
					null);
		}
		int requested = (local != null) ? local.getPort() : 0;
		if (requested != 0 && !this.block.contains(requested)) {
			throw failure(Reason.INVALID, "Port " + requested + " lies outside the reserved block " + this.block
					+ "; ask for port 0 or a port inside the block", null, null);
		}
		return requested;
	}

	private void notifyFailure(String owner, PortReservationException failure, long start) {
		long nanos = System.nanoTime() - start;
		this.listeners.forEach((listener) -> listener.bindFailed(owner, failure, nanos));
	}

	private void requireOpen() {
		if (!this.open) {
			throw failure(Reason.INVALID, "The reservation is closed", null, null);
		}
	}

	private void requireProtocol(Protocol expected, String channelType) {
		if (this.protocol != expected) {
			throw failure(Reason.UNSUPPORTED, "A " + channelType + " needs a " + expected + " block, this block is "
					+ this.protocol, null, null);
		}
	}

	private void releaseClosedChannels() {
		List<PortLease> released = null;
		for (var iterator = this.leases.values().iterator(); iterator.hasNext();) {
			Leased leased = iterator.next();
			if (!leased.channel().isOpen()) {
				if (this.open) {
					portReturned(leased.lease().port());
				}
				iterator.remove();
				released = (released != null) ? released : new ArrayList<>();
				released.add(leased.lease());
			}
		}
		if (released != null) {
			for (PortLease lease : released) {
				this.listeners.forEach((listener) -> listener.released(lease));
			}
		}
	}

	private static void closeQuietly(Channel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// The bind already failed; the close failure adds nothing.
		}
	}

	private record Leased(PortLease lease, Channel channel) {
	}

	@FunctionalInterface
	private interface PlatformBind {

		int bind(int requestedPort) throws IOException;

	}

}
