package dev.portreservation.linux;

import java.util.HashMap;
import java.util.Map;

/**
 * Lets a costly step (a read of the kernel's socket list, say) happen for a port at most
 * once per interval, by {@link System#nanoTime()}. Not thread-safe: its owner calls it
 * under the reservation's lock.
 */
final class PerPortPace {

	private final long intervalNanos;

	private final Map<Integer, Long> next = new HashMap<>();

	/**
	 * @param intervalNanos the least time between two steps for one port
	 */
	PerPortPace(long intervalNanos) {
		this.intervalNanos = intervalNanos;
	}

	/**
	 * @param port a port
	 * @return whether the step may happen for the port now; if so, the next one is an
	 * interval away
	 */
	boolean mayRun(int port) {
		long now = System.nanoTime();
		Long due = this.next.get(port);
		if (due != null && now - due < 0) {
			return false;
		}
		this.next.put(port, now + this.intervalNanos);
		return true;
	}

	/**
	 * @param port a port whose next step may happen at once
	 */
	void forget(int port) {
		this.next.remove(port);
	}

	/** Forgets every port. */
	void clear() {
		this.next.clear();
	}

}
