package dev.portreservation.core.internal;

import java.nio.channels.Channel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortLease;
import org.jspecify.annotations.Nullable;

/**
 * The leases of one reservation: the port of each channel bound through it and of each
 * lent port, with the channel that has it. A lease lasts until its channel is found
 * closed ({@link #removeClosed}); until then its port is never handed out again.
 * <p>
 * Not thread-safe by itself: the table belongs to its reservation's lock, and every
 * method checks that the calling thread holds it. A call without the lock is a bug and
 * fails with {@link IllegalStateException} at once, so the locking contract is enforced,
 * not only written down.
 * <p>
 * Every bind asks whether a port is leased, adds a lease and sweeps the leases for closed
 * channels, so those three cost no boxing and no tree walk: each port's lease sits at its
 * offset in the block (one reference a port, 64 KiB for the largest block), and the
 * leases are also kept in a plain list that the sweep walks, so it costs what the leases
 * cost, not what the block does. Port order, which callers see, is made only where a list
 * is handed out.
 */
@GuardedBy("lock")
final class LeaseTable {

	private static final Comparator<Entry> BY_PORT = Comparator.comparingInt((entry) -> entry.lease().port());

	private final ReentrantLock lock;

	private final int startPort;

	private final @Nullable Entry[] byOffset;

	/** The same entries as {@link #byOffset}, in no order. */
	private final ArrayList<Entry> entries = new ArrayList<>();

	/**
	 * @param lock the reservation's lock, held by every caller
	 * @param block the reservation's block: only its ports can be leased
	 */
	LeaseTable(ReentrantLock lock, PortBlock block) {
		this.lock = lock;
		this.startPort = block.startPort();
		this.byOffset = new Entry[block.count()];
	}

	/**
	 * @param port a port of the block
	 * @return whether a lease has it, open or not yet found closed
	 */
	boolean isLeased(int port) {
		requireLock();
		return entry(port) != null;
	}

	/**
	 * @param port a port of the block
	 * @return its lease, or {@code null}
	 */
	@Nullable PortLease lease(int port) {
		requireLock();
		Entry entry = entry(port);
		return (entry != null) ? entry.lease() : null;
	}

	/**
	 * @param port a port of the block
	 * @return the channel (or lent port) that has it, or {@code null}
	 */
	@Nullable Channel channel(int port) {
		requireLock();
		Entry entry = entry(port);
		return (entry != null) ? entry.channel() : null;
	}

	/**
	 * Leases a port that no lease has.
	 * @param lease the lease
	 * @param channel the channel or lent port that has the port
	 * @throws IllegalStateException when the port is leased already
	 * @throws IllegalArgumentException when the port is not one of the block's
	 */
	void add(PortLease lease, Channel channel) {
		requireLock();
		int offset = lease.port() - this.startPort;
		if (offset < 0 || offset >= this.byOffset.length) {
			throw new IllegalArgumentException("Port " + lease.port() + " is not a port of the block");
		}
		Entry previous = this.byOffset[offset];
		if (previous != null) {
			throw new IllegalStateException(
					"Port " + lease.port() + " is leased already to '" + previous.lease().owner() + "'");
		}
		Entry entry = new Entry(lease, channel);
		this.byOffset[offset] = entry;
		this.entries.add(entry);
	}

	/**
	 * @return the leases whose channel is open, in port order; a copy
	 */
	List<PortLease> openLeases() {
		requireLock();
		List<Entry> open = new ArrayList<>(this.entries.size());
		for (Entry entry : this.entries) {
			if (entry.channel().isOpen()) {
				open.add(entry);
			}
		}
		return Collections.unmodifiableList(leasesInPortOrder(open));
	}

	/**
	 * @return how many leases have an open channel
	 */
	int openCount() {
		requireLock();
		int open = 0;
		for (Entry entry : this.entries) {
			if (entry.channel().isOpen()) {
				open++;
			}
		}
		return open;
	}

	/**
	 * Ends the leases whose channel is closed.
	 * @param returned told each ended lease's port before the lease goes, so the backend
	 * can hold the port again
	 * @param collect whether the ended leases are wanted (someone will be told of them);
	 * when not, nothing is allocated
	 * @return the ended leases, in port order, or an empty list when none or not
	 * collected
	 */
	List<PortLease> removeClosed(IntConsumer returned, boolean collect) {
		requireLock();
		// A bind follows at most one close in the common case: one ended lease needs no
		// list of its own.
		Entry first = null;
		List<Entry> all = null;
		for (int i = this.entries.size() - 1; i >= 0; i--) {
			Entry entry = this.entries.get(i);
			if (!entry.channel().isOpen()) {
				int port = entry.lease().port();
				returned.accept(port);
				this.byOffset[port - this.startPort] = null;
				// Order is kept apart, so the last entry may fill the gap.
				Entry last = this.entries.remove(this.entries.size() - 1);
				if (last != entry) {
					this.entries.set(i, last);
				}
				if (!collect) {
					continue;
				}
				if (first == null) {
					first = entry;
				}
				else {
					all = (all != null) ? all : new ArrayList<>(List.of(first));
					all.add(entry);
				}
			}
		}
		if (all != null) {
			return leasesInPortOrder(all);
		}
		return (first != null) ? List.of(first.lease()) : List.of();
	}

	/**
	 * @return the lent ports whose lease is open, in port order; a copy
	 */
	List<LentPortChannel> openLentPorts() {
		requireLock();
		List<Entry> lent = null;
		for (Entry entry : this.entries) {
			if (entry.channel() instanceof LentPortChannel port && port.isOpen()) {
				lent = (lent != null) ? lent : new ArrayList<>();
				lent.add(entry);
			}
		}
		if (lent == null) {
			return List.of();
		}
		lent.sort(BY_PORT);
		List<LentPortChannel> ports = new ArrayList<>(lent.size());
		for (Entry entry : lent) {
			ports.add((LentPortChannel) entry.channel());
		}
		return ports;
	}

	private @Nullable Entry entry(int port) {
		int offset = port - this.startPort;
		return (offset >= 0 && offset < this.byOffset.length) ? this.byOffset[offset] : null;
	}

	private static List<PortLease> leasesInPortOrder(List<Entry> entries) {
		entries.sort(BY_PORT);
		List<PortLease> leases = new ArrayList<>(entries.size());
		for (Entry entry : entries) {
			leases.add(entry.lease());
		}
		return leases;
	}

	private void requireLock() {
		if (!this.lock.isHeldByCurrentThread()) {
			throw new IllegalStateException("The lease table was used without its reservation's lock");
		}
	}

	private record Entry(PortLease lease, Channel channel) {
	}

}
