package dev.portreservation.core.internal;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationListener;

/**
 * The listeners of one reservation, told outside its lock, each on its own: a listener
 * that throws is logged and neither stops the others nor turns a successful bind into a
 * failure. Only errors of the JVM itself ({@link VirtualMachineError}) pass through. With
 * no listener an event costs one check.
 */
final class ReservationListeners {

	private static final System.Logger LOGGER = System.getLogger(ReservationListeners.class.getName());

	private final List<PortReservationListener> listeners = new CopyOnWriteArrayList<>();

	/** Names the reservation in the log, only when a listener threw. */
	private final Supplier<String> reservation;

	ReservationListeners(Supplier<String> reservation) {
		this.reservation = reservation;
	}

	void add(PortReservationListener listener) {
		this.listeners.add(listener);
	}

	void remove(PortReservationListener listener) {
		this.listeners.remove(listener);
	}

	/**
	 * @return whether any listener is registered, so that the bind path can skip what
	 * only listeners need (the time it took)
	 */
	boolean any() {
		return !this.listeners.isEmpty();
	}

	void bound(PortLease lease, long nanos) {
		tell((listener) -> listener.bound(lease, nanos));
	}

	void bindFailed(String owner, PortReservationException failure, long nanos) {
		tell((listener) -> listener.bindFailed(owner, failure, nanos));
	}

	void released(List<PortLease> released) {
		if (released.isEmpty() || this.listeners.isEmpty()) {
			return;
		}
		for (PortLease lease : released) {
			tell((listener) -> listener.released(lease));
		}
	}

	void closed(PortReservation closed) {
		tell((listener) -> listener.closed(closed));
	}

	private void tell(Consumer<PortReservationListener> event) {
		if (this.listeners.isEmpty()) {
			return;
		}
		for (PortReservationListener listener : this.listeners) {
			try {
				event.accept(listener);
			}
			catch (VirtualMachineError ex) {
				throw ex;
			}
			catch (Throwable ex) {
				LOGGER.log(Level.WARNING, "Listener " + listener.getClass().getName() + " of " + this.reservation.get()
						+ " threw; the reservation carries on", ex);
			}
		}
	}

}
