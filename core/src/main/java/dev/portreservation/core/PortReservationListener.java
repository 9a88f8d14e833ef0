package dev.portreservation.core;

/**
 * Hears what happens to a reservation. Called on the thread that did the bind, the release or the close;
 * implementations must be quick and must not throw.
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
