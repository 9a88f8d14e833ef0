package dev.portreservation.core;

/**
 * Hears what happens to a reservation. Called on the thread that did the bind, the
 * refresh (for a release noticed by the library's scheduled refresh, its daemon thread
 * {@code portreservation-watcher}) or the close, after the reservation's lock was
 * released, so a listener may call the reservation. Events of different threads may
 * arrive in a different order than they happened. Implementations must be quick; one that
 * throws is logged and ignored: the bind, release or close it was told about stands.
 */
public interface PortReservationListener {

	/**
	 * A channel was bound to a port of the block.
	 * @param lease the new lease
	 * @param nanos how long the bind took, including retries
	 */
	default void bound(PortLease lease, long nanos) {
	}

	/**
	 * A bind through the reservation failed.
	 * @param owner who asked
	 * @param failure the failure
	 * @param nanos how long the attempt took
	 */
	default void bindFailed(String owner, PortReservationException failure, long nanos) {
	}

	/**
	 * A leased port returned to the block because its channel was closed.
	 * @param lease the lease that ended
	 */
	default void released(PortLease lease) {
	}

	/**
	 * The reservation was closed; no further events follow.
	 * @param reservation the reservation
	 */
	default void closed(PortReservation reservation) {
	}

}
