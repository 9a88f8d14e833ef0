package dev.portreservation.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

import org.jspecify.annotations.Nullable;

/**
 * A reserved block of ports, held open, through which channels are bound. Closing it
 * releases a runtime block; a persistent block stays recorded by the OS (delete it with
 * {@link PortReservations#deletePersistent(Protocol, PortBlock)}).
 * <p>
 * Implementations are thread-safe: concurrent binds never hand out one port twice.
 */
public interface PortReservation extends AutoCloseable {

	/** Owner label used when the caller names none. */
	String DEFAULT_OWNER = "application";

	/**
	 * @return the reserved block
	 */
	PortBlock block();

	/**
	 * @return the protocol the block is reserved for
	 */
	Protocol protocol();

	/**
	 * @return runtime or persistent
	 */
	ReservationKind kind();

	/**
	 * The token that identifies the reservation to the OS. On Windows it is the
	 * {@code INET_PORT_RESERVATION_TOKEN}; elsewhere a process-local identifier.
	 * Persistent tokens may change across reboots: never store one.
	 * @return the token
	 */
	long token();

	/**
	 * @return whether this process created the (persistent) block, as opposed to finding
	 * it; on Linux also when it found a block whose creator ended without deleting it
	 * ({@code kill -9}, a crash) and took the creator's place, so that the run that
	 * deletes the blocks it created on shutdown also cleans up such a leftover
	 */
	boolean createdByThisProcess();

	/**
	 * @return the name of the platform backend, such as {@code "linux"},
	 * {@code "windows"} or {@code "portable"}
	 */
	String backend();

	/**
	 * @return what the operating system itself enforces for this block, beyond this
	 * library's bookkeeping; supplied by the backend
	 */
	Enforcement enforcement();

	/**
	 * Conditions someone should look at that do not stop this reservation from working,
	 * such as a damaged state record the backend set aside. Each names the file or port
	 * concerned.
	 * @return the warnings, empty when there are none
	 */
	default List<String> warnings() {
		return List.of();
	}

	/**
	 * @return whether the reservation is still held
	 */
	boolean isOpen();

	/**
	 * The ports of the block bound right now by channels that are still open. A query: it
	 * changes nothing, opens no socket and calls no listener (metrics and health checks
	 * call it); the lease of a channel closed since is left out, and released on the next
	 * bind or {@link #refresh()}.
	 * @return the current leases, ordered by port
	 */
	List<PortLease> leases();

	/**
	 * @return how many ports of the block are bound right now by open channels; a query
	 * like {@link #leases()}
	 */
	default int portsInUse() {
		return leases().size();
	}

	/**
	 * @return how many ports of the block are free right now; a query like
	 * {@link #leases()}
	 */
	default int portsFree() {
		return block().count() - portsInUse();
	}

	/**
	 * Ports of the block that this reservation should keep other processes off but does
	 * not right now: a port whose holder could not be made again (for example the process
	 * was out of file descriptors) or that another socket took meanwhile. They are
	 * retried on every bind, {@link #refresh()} and by the library's scheduled refresh. A
	 * query like {@link #leases()}.
	 * @return those ports, ordered; empty when the whole block is held, and always empty
	 * for backends whose protection does not depend on sockets of this process
	 */
	default List<Integer> unheldPorts() {
		return List.of();
	}

	/**
	 * Brings the bookkeeping up to date: releases the leases of channels closed since
	 * (listeners hear {@code released}) and retries ports in {@link #unheldPorts()}.
	 * Binds do the same first, and the library refreshes every reservation that has
	 * leased a port at least once a second on a daemon thread of its own, so calling this
	 * is needed only to see a release at once. Does nothing once the reservation is
	 * closed.
	 */
	default void refresh() {
	}

	/**
	 * Binds a server channel to a port of the block.
	 * @param channel an unbound channel
	 * @param local the address to bind to; port 0 takes any free port of the block,
	 * another port must lie inside the block
	 * @param backlog the listen backlog, 0 for the platform default
	 * @param owner who binds, reported in {@link #leases()} and metrics
	 * @return the bound port
	 * @throws PortReservationException with reason {@code EXHAUSTED} when no port of the
	 * block is free
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
	 * Lends a free port of the block to a component that binds a port number itself
	 * rather than a channel of this reservation. The port is leased under {@code name}
	 * until the returned {@link LentPort} is closed. What keeps others off it meanwhile
	 * depends on the backend:
	 * <ul>
	 * <li>Linux, runtime TCP block: the port's holder socket stays bound and is opened to
	 * sockets that set {@code SO_REUSEADDR} (every JDK server socket does by default on
	 * Linux), so such a component binds and listens beside it with no moment where the
	 * port is unheld. A socket without {@code SO_REUSEADDR} is refused until
	 * {@link LentPort#handOff()} closes the holder. Until the component listens, another
	 * socket that sets {@code SO_REUSEADDR} and binds this port explicitly could bind
	 * beside the holder too.</li>
	 * <li>Linux, runtime UDP block: the holder stays until
	 * {@link LentPort#handOff()}.</li>
	 * <li>Linux, persistent block: no socket holds the port; the kernel keeps it out of
	 * automatic assignment ({@code ip_local_reserved_ports}), so only an explicit bind of
	 * that port can take it.</li>
	 * <li>Portable backend: bookkeeping in this JVM only.</li>
	 * <li>Windows, persistent block: no socket holds the port; the port pool keeps it out
	 * of automatic assignment and other reservations, and binds through the reservation
	 * for any port skip it. Lending first checks on the port that a socket not associated
	 * with the reservation can bind it, and is {@code UNSUPPORTED} where Windows refuses
	 * that (undocumented; see the Windows notes).</li>
	 * <li>Windows, runtime block: not supported ({@code UNSUPPORTED}); Windows refuses
	 * its ports to every socket not associated with the reservation.</li>
	 * </ul>
	 * @param name who the port is for, reported as the lease's owner
	 * @return the lent port
	 * @throws PortReservationException {@code EXHAUSTED} when no port of the block is
	 * free, {@code UNSUPPORTED} where the backend cannot lend
	 */
	default LentPort lend(String name) {
		return lend(name, (port) -> true);
	}

	/**
	 * Lends a free port of the block that {@code eligible} accepts, as
	 * {@link #lend(String)} does; ports it refuses are left for someone else (for example
	 * a port a server's configuration names).
	 * @param name who the port is for, reported as the lease's owner
	 * @param eligible which ports may be lent
	 * @return the lent port
	 * @throws PortReservationException {@code EXHAUSTED} when no eligible port is free,
	 * {@code UNSUPPORTED} where the backend cannot lend
	 */
	default LentPort lend(String name, IntPredicate eligible) {
		throw PortReservationException
			.builder(PortReservationException.Reason.UNSUPPORTED, "The " + backend()
					+ " backend cannot lend a port to a component that binds it itself; bind a channel through the "
					+ "reservation instead")
			.operation(PortReservationException.Operation.LEND)
			.backend(backend())
			.block(block())
			.protocol(protocol())
			.build();
	}

	/**
	 * Lends a run of {@code count} consecutive free ports of the block, each as
	 * {@link #lend(String, IntPredicate)} lends one and all under {@code name}, for a
	 * component that needs a small range (FTP passive ports, a media port range). The
	 * lowest run whose ports are all free and eligible is taken; a port a concurrent bind
	 * takes meanwhile makes the attempt give back what it lent and move on.
	 * @param name who the ports are for, each lease's owner
	 * @param count how many consecutive ports, at least 1
	 * @param eligible which ports may be lent
	 * @return the lent ports, in ascending order
	 * @throws PortReservationException {@code EXHAUSTED} when no such run is free,
	 * {@code INVALID} for a count below 1, {@code UNSUPPORTED} where the backend cannot
	 * lend
	 */
	default List<LentPort> lendRun(String name, int count, IntPredicate eligible) {
		PortBlock block = block();
		if (count < 1) {
			throw PortReservationException
				.builder(PortReservationException.Reason.INVALID,
						"A run of ports needs at least 1 port, asked for " + count)
				.operation(PortReservationException.Operation.LEND)
				.backend(backend())
				.block(block)
				.protocol(protocol())
				.build();
		}
		Set<Integer> taken = new HashSet<>();
		leases().forEach((lease) -> taken.add(lease.port()));
		for (long start = block.startPort(); start + count - 1 <= block.endPort(); start++) {
			int first = (int) start;
			boolean free = true;
			for (int port = first; port < first + count && free; port++) {
				free = !taken.contains(port) && eligible.test(port);
			}
			if (!free) {
				continue;
			}
			List<LentPort> run = new ArrayList<>(count);
			try {
				for (int port = first; port < first + count; port++) {
					int wanted = port;
					run.add(lend(name, (candidate) -> candidate == wanted));
				}
				return List.copyOf(run);
			}
			catch (PortReservationException ex) {
				run.forEach(LentPort::close);
				if (ex.getReason() != PortReservationException.Reason.EXHAUSTED) {
					throw ex;
				}
				leases().forEach((lease) -> taken.add(lease.port()));
			}
		}
		throw PortReservationException
			.builder(PortReservationException.Reason.EXHAUSTED,
					"No run of " + count + " consecutive free ports in block " + block + " to lend to '" + name
							+ "'; raise the count or release ports")
			.operation(PortReservationException.Operation.LEND)
			.problem(PortReservationException.Problem.PORT_IN_USE)
			.backend(backend())
			.block(block)
			.protocol(protocol())
			.build();
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
	 * Releases the reservation. Channels already bound stay bound; a runtime block is
	 * given back to the OS. Idempotent.
	 */
	@Override
	void close();

}
