package dev.portreservation.core.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The small scheduled task behind {@link PortReservation#refresh()}: one daemon thread
 * per JVM that refreshes every watched reservation, so that closed channels are reaped
 * (their {@code released} events fire) and ports a backend could not hold are retried
 * without anyone calling the reservation. Queries such as
 * {@link PortReservation#leases()} never do this work; a metrics scrape or a health check
 * therefore opens no socket.
 * <p>
 * The thread is started by the first watched reservation (a reservation is watched from
 * its first bind, since before that there is nothing to reap) and ends once no watched
 * reservation is open. It wakes every {@link #INTERVAL}, or every
 * {@link #PROMPT_INTERVAL} while a reservation says it needs prompt checks (a port whose
 * protection depends on noticing a close quickly).
 */
final class ReservationWatcher {

	/** How often watched reservations are refreshed. */
	static final Duration INTERVAL = Duration.ofSeconds(1);

	/** How often they are refreshed while one of them needs prompt checks. */
	static final Duration PROMPT_INTERVAL = Duration.ofMillis(10);

	static final String THREAD_NAME = "portreservation-watcher";

	private static final ReservationWatcher SHARED = new ReservationWatcher(THREAD_NAME, INTERVAL, PROMPT_INTERVAL);

	private static final System.Logger LOGGER = System.getLogger(ReservationWatcher.class.getName());

	private final String threadName;

	private final long intervalNanos;

	private final long promptIntervalNanos;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition wake = this.lock.newCondition();

	private final Set<AbstractPortReservation> watched = Collections.newSetFromMap(new IdentityHashMap<>());

	private Thread thread;

	private boolean wakeRequested;

	ReservationWatcher(String threadName, Duration interval, Duration promptInterval) {
		this.threadName = threadName;
		this.intervalNanos = interval.toNanos();
		this.promptIntervalNanos = promptInterval.toNanos();
	}

	/**
	 * @return the watcher every reservation of this JVM uses
	 */
	static ReservationWatcher shared() {
		return SHARED;
	}

	/**
	 * Starts watching a reservation, and the thread when it is not running.
	 * @param reservation an open reservation
	 */
	void watch(AbstractPortReservation reservation) {
		this.lock.lock();
		try {
			this.watched.add(reservation);
			if (this.thread == null) {
				Thread started = new Thread(this::run, this.threadName);
				started.setDaemon(true);
				this.thread = started;
				started.start();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Stops watching a reservation; the thread ends when it was the last one.
	 * @param reservation a reservation being closed
	 */
	void unwatch(AbstractPortReservation reservation) {
		this.lock.lock();
		try {
			if (this.watched.remove(reservation) && this.watched.isEmpty()) {
				this.wake.signalAll();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Runs the next refresh now, for a reservation that has just started to need prompt
	 * checks.
	 */
	void wakeUp() {
		this.lock.lock();
		try {
			this.wakeRequested = true;
			this.wake.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * @return whether the thread is running (tests)
	 */
	boolean isRunning() {
		this.lock.lock();
		try {
			return this.thread != null;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * @return the running thread, or {@code null} (tests)
	 */
	Thread thread() {
		this.lock.lock();
		try {
			return this.thread;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void run() {
		boolean prompt = false;
		while (true) {
			List<AbstractPortReservation> snapshot;
			this.lock.lock();
			try {
				if (!awaitNextRound(prompt)) {
					return;
				}
				snapshot = new ArrayList<>(this.watched);
			}
			finally {
				this.lock.unlock();
			}
			prompt = false;
			for (AbstractPortReservation reservation : snapshot) {
				try {
					reservation.refresh();
					prompt |= reservation.needsPromptCheck();
				}
				catch (RuntimeException ex) {
					// One reservation's failure must not stop the others from being
					// looked after.
					LOGGER.log(Level.WARNING, "Refreshing " + reservation.describe() + " failed", ex);
				}
			}
		}
	}

	/**
	 * Waits under the lock until the next round is due. Clears the thread and answers
	 * false once nothing is watched, so a later {@link #watch} starts a new one.
	 */
	private boolean awaitNextRound(boolean prompt) {
		long nanos = prompt ? this.promptIntervalNanos : this.intervalNanos;
		try {
			while (!this.watched.isEmpty() && !this.wakeRequested && nanos > 0) {
				nanos = this.wake.awaitNanos(nanos);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.thread = null;
			return false;
		}
		this.wakeRequested = false;
		if (this.watched.isEmpty()) {
			this.thread = null;
			return false;
		}
		return true;
	}

	@Override
	public String toString() {
		return this.threadName + " every " + TimeUnit.NANOSECONDS.toMillis(this.intervalNanos) + " ms";
	}

}
