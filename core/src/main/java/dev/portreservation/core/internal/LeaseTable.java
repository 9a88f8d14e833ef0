package dev.portreservation.core.internal;

import java.nio.channels.Channel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

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
 * not only written down. A tree map under that lock costs the bind path less than a
 * concurrent map and keeps the leases in port order.
 */
@GuardedBy("lock")
final class LeaseTable {

	private final ReentrantLock lock;

	private final TreeMap<Integer, Entry> entries = new TreeMap<>();

	/**
	 * @param lock the reservation's lock, held by every caller
	 */
	LeaseTable(ReentrantLock lock) {
		this.lock = lock;
	}

	/**
	 * @param port a port of the block
	 * @return whether a lease has it, open or not yet found closed
	 */
	boolean isLeased(int port) {
		requireLock();
		return this.entries.containsKey(port);
	}

	/**
	 * @param port a port of the block
	 * @return its lease, or {@code null}
	 */
	@Nullable PortLease lease(int port) {
		requireLock();
		Entry entry = this.entries.get(port);
		return (entry != null) ? entry.lease() : null;
	}

	/**
	 * @param port a port of the block
	 * @return the channel (or lent port) that has it, or {@code null}
	 */
	@Nullable Channel channel(int port) {
		requireLock();
		Entry entry = this.entries.get(port);
		return (entry != null) ? entry.channel() : null;
	}

	/**
	 * Leases a port that no lease has.
	 * @param lease the lease
	 * @param channel the channel or lent port that has the port
	 * @throws IllegalStateException when the port is leased already
	 */
	void add(PortLease lease, Channel channel) {
		requireLock();
		Entry previous = this.entries.putIfAbsent(lease.port(), new Entry(lease, channel));
		if (previous != null) {
			throw new IllegalStateException(
					"Port " + lease.port() + " is leased already to '" + previous.lease().owner() + "'");
		}
	}

	/**
	 * @return the leases whose channel is open, in port order; a copy
	 */
	List<PortLease> openLeases() {
		requireLock();
		List<PortLease> open = new ArrayList<>(this.entries.size());
		for (Entry entry : this.entries.values()) {
			if (entry.channel().isOpen()) {
				open.add(entry.lease());
			}
		}
		return Collections.unmodifiableList(open);
	}

	/**
	 * @return how many leases have an open channel
	 */
	int openCount() {
		requireLock();
		int open = 0;
		for (Entry entry : this.entries.values()) {
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
	 * @return the ended leases, in port order (an empty list when none, without
	 * allocating)
	 */
	List<PortLease> removeClosed(IntConsumer returned) {
		requireLock();
		List<PortLease> removed = null;
		for (var iterator = this.entries.values().iterator(); iterator.hasNext();) {
			Entry entry = iterator.next();
			if (!entry.channel().isOpen()) {
				returned.accept(entry.lease().port());
				iterator.remove();
				removed = (removed != null) ? removed : new ArrayList<>();
				removed.add(entry.lease());
			}
		}
		return (removed != null) ? removed : List.of();
	}

	/**
	 * @return the lent ports whose lease is open, in port order; a copy
	 */
	List<LentPortChannel> openLentPorts() {
		requireLock();
		List<LentPortChannel> lent = null;
		for (Entry entry : this.entries.values()) {
			if (entry.channel() instanceof LentPortChannel port && port.isOpen()) {
				lent = (lent != null) ? lent : new ArrayList<>();
				lent.add(port);
			}
		}
		return (lent != null) ? lent : List.of();
	}

	private void requireLock() {
		if (!this.lock.isHeldByCurrentThread()) {
			throw new IllegalStateException("The lease table was used without its reservation's lock");
		}
	}

	private record Entry(PortLease lease, Channel channel) {
	}

}
