package dev.portreservation.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A reserved block of ports, held open, through which channels are bound. Closing it releases a runtime
 * block; a persistent block stays recorded by the OS (delete it with
 * {@link PortReservations#deletePersistent(Protocol, PortBlock)}).
 * <p>
 * Implementations are thread-safe: concurrent binds never hand out one port twice.
 */
public interface PortReservation extends AutoCloseable {

	/** Owner label used when the caller names none. */
	String DEFAULT_OWNER = "application";

	/** @return the reserved block */
	PortBlock block();

	/** @return the protocol the block is reserved for */
	Protocol protocol();

	/** @return runtime or persistent */
	ReservationKind kind();

	/**
	 * The token that identifies the reservation to the OS. On Windows it is the
	 * {@code INET_PORT_RESERVATION_TOKEN}; elsewhere a process-local identifier. Persistent tokens may change
	 * across reboots: never store one.
	 * @return the token
	 */
	long token();

	/** @return whether this process created the (persistent) block, as opposed to finding it */
	boolean createdByThisProcess();

	/**
	 * @return the name of the platform backend, such as {@code "linux"}, {@code "windows"} or {@code "portable"}
	 */
	String backend();

	/** @return whether the OS itself keeps other processes off the block, not just this library */
	boolean kernelEnforced();

	/** @return whether the reservation is still held */
	boolean isOpen();

	/**
	 * The ports of the block bound right now by channels that are still open. Leases of channels closed since
	 * the last call are released first.
	 * @return the current leases, ordered by port
	 */
	List<PortLease> leases();

	/** @return how many ports of the block are bound right now */
	default int portsInUse() {
		return leases().size();
	}

	/** @return how many ports of the block are free right now */
	default int portsFree() {
		return block().count() - portsInUse();
	}

	/**
	 * Binds a server channel to a port of the block.
	 * @param channel an unbound channel
	 * @param local the address to bind to; port 0 takes any free port of the block, another port must lie
	 * inside the block
	 * @param backlog the listen backlog, 0 for the platform default
	 * @param owner who binds, reported in {@link #leases()} and metrics
	 * @return the bound port
	 * @throws PortReservationException with reason {@code EXHAUSTED} when no port of the block is free
	 */
	int bind(ServerSocketChannel channel, InetSocketAddress local, int backlog, String owner);

	/**
	 * Binds a datagram channel to a port of the block.
	 * @param channel an unbound channel
	 * @param local the address; port 0 takes any free port of the block
	 * @param owner who binds
	 * @return the bound port
	 */
	int bind(DatagramChannel channel, InetSocketAddress local, String owner);

	/**
	 * Binds a server channel to any free port of the block.
	 * @param channel an unbound channel
	 * @param address the local address, {@code null} for the wildcard address
	 * @param backlog the listen backlog, 0 for the platform default
	 * @return the bound port
	 */
	default int bind(ServerSocketChannel channel, @Nullable InetAddress address, int backlog) {
		return bind(channel, new InetSocketAddress(address, 0), backlog, DEFAULT_OWNER);
	}

	/**
	 * Binds a datagram channel to any free port of the block.
	 * @param channel an unbound channel
	 * @param address the local address, {@code null} for the wildcard address
	 * @return the bound port
	 */
	default int bind(DatagramChannel channel, @Nullable InetAddress address) {
		return bind(channel, new InetSocketAddress(address, 0), DEFAULT_OWNER);
	}

	/**
	 * @param listener told about binds, releases and the close
	 */
	void addListener(PortReservationListener listener);

	/**
	 * @param listener a listener added before
	 */
	void removeListener(PortReservationListener listener);

	/**
	 * Releases the reservation. Channels already bound stay bound; a runtime block is given back to the OS.
	 * Idempotent.
	 */
	@Override
	void close();

}
