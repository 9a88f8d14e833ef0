package dev.portreservation.boot.reservation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.portreservation.core.PortReservation;

/**
 * Blocks kept open across a devtools restart, JVM-wide. Devtools restarts an application
 * by closing its context and creating a new one in the same JVM with a new class loader
 * for the application's own classes; this library's classes stay loaded, so a block
 * parked here by the closing context is found again by the next one, which then gets the
 * same block and (its server asking for the same port, or for any free port of an empty
 * block) the same port.
 * <p>
 * A block is reused only by a context that asks for exactly the same block (backend,
 * protocol, kind, start and count); a context asking for another block releases the
 * parked ones, and so does a context that reserves nothing. Whatever is parked when the
 * JVM exits is released by a shutdown hook.
 */
final class RetainedBlocks {

	private static final Map<Key, Runnable> releases = new LinkedHashMap<>();

	private static final Map<Key, Kept> reservations = new LinkedHashMap<>();

	private static boolean hookRegistered;

	private RetainedBlocks() {
	}

	/**
	 * Parks a block for the next context.
	 * @param backend the backend's name
	 * @param requested what the closing context asked for
	 * @param reservation the open reservation
	 * @param ports the port each owner (the server, the management server) had, to give
	 * it again
	 * @param release how to release it when nobody takes it
	 * @return whether it was parked; {@code false} while the JVM shuts down (release it
	 * now)
	 */
	static synchronized boolean retain(String backend, RequestedBlock requested, PortReservation reservation,
			Map<String, Integer> ports, Runnable release) {
		if (!reservation.isOpen() || shuttingDown()) {
			return false;
		}
		Key key = new Key(backend, requested);
		Runnable previous = releases.remove(key);
		reservations.remove(key);
		if (previous != null) {
			previous.run();
		}
		releases.put(key, release);
		reservations.put(key, new Kept(reservation, Map.copyOf(ports)));
		if (!hookRegistered) {
			Runtime.getRuntime().addShutdownHook(new Thread(RetainedBlocks::releaseAll, "portreservation-retained"));
			hookRegistered = true;
		}
		return true;
	}

	/**
	 * Takes the parked block asked for, releasing every other parked block (the
	 * configuration changed).
	 * @param backend the backend's name
	 * @param requested what the new context asks for
	 * @return the parked reservation, or {@code null}
	 */
	static Kept take(String backend, RequestedBlock requested) {
		Key key = new Key(backend, requested);
		Kept taken;
		synchronized (RetainedBlocks.class) {
			taken = reservations.remove(key);
			releases.remove(key);
		}
		releaseAll();
		return (taken != null && taken.reservation().isOpen()) ? taken : null;
	}

	/** Releases every parked block. */
	static void releaseAll() {
		List<Runnable> pending;
		synchronized (RetainedBlocks.class) {
			pending = new ArrayList<>(releases.values());
			releases.clear();
			reservations.clear();
		}
		pending.forEach(Runnable::run);
	}

	/**
	 * @return how many blocks are parked
	 */
	static synchronized int size() {
		return reservations.size();
	}

	// Adding a hook while the JVM shuts down is refused: the cheapest reliable test of
	// that state.
	private static boolean shuttingDown() {
		Thread probe = new Thread(() -> {
		});
		try {
			Runtime.getRuntime().addShutdownHook(probe);
			Runtime.getRuntime().removeShutdownHook(probe);
			return false;
		}
		catch (IllegalStateException ex) {
			return true;
		}
	}

	private record Key(String backend, RequestedBlock requested) {
	}

	/**
	 * A parked block.
	 *
	 * @param reservation the open reservation
	 * @param ports the port each owner had when its context closed
	 */
	record Kept(PortReservation reservation, Map<String, Integer> ports) {
	}

}
