package dev.portreservation.boot.reservation;

import java.util.ArrayList;
import java.util.List;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

/**
 * A runtime block that holds {@code server.port} when the block starting there cannot be
 * reserved. Plain Spring Boot needs only {@code server.port} itself to be free; a block
 * placed by {@code server.port} needs {@code portreservation.count} ports, and an
 * unrelated listener on one of the neighbours (another local app on 8082 while the block
 * wants 8080-8087) must not stop an application that plain Boot would start on 8080. So
 * the block moves to the free ports around {@code server.port}: the nearest window of
 * {@code count} free ports that still contains it, or, when there are not that many free
 * neighbours, the largest free run that contains it (fewer ports than asked for, said in
 * the log). When {@code server.port} itself is taken, plain Boot fails too, and so does
 * this: {@link #reserve} returns {@code null} and the caller reports the original
 * failure.
 * <p>
 * Only for a block that {@code server.port} places: an explicit
 * {@code portreservation.start-port} or a persistent block is something only this starter
 * gives, and a block that cannot be had there fails startup as asked.
 */
final class BlockAroundServerPort {

	// Probing and reserving race with other processes: a window that was free when probed
	// and taken before the reservation gets one more round.
	private static final int ROUNDS = 2;

	private final PortReservation reservation;

	private final String placement;

	private final boolean smallerThanAsked;

	private BlockAroundServerPort(PortReservation reservation, String placement, boolean smallerThanAsked) {
		this.reservation = reservation;
		this.placement = placement;
		this.smallerThanAsked = smallerThanAsked;
	}

	/**
	 * @return whether the block has fewer ports than {@code portreservation.count}
	 */
	boolean smallerThanAsked() {
		return this.smallerThanAsked;
	}

	/**
	 * @return the reserved block
	 */
	PortReservation reservation() {
		return this.reservation;
	}

	/**
	 * @return how the block was placed, for the reserve line
	 */
	String placement() {
		return this.placement;
	}

	/**
	 * @param requested a runtime block placed by {@code server.port}
	 * @return whether {@link #reserve} applies to it
	 */
	static boolean appliesTo(RequestedBlock requested) {
		return RequestedBlock.SERVER_PORT.equals(requested.startSource())
				&& requested.kind() == ReservationKind.RUNTIME;
	}

	/**
	 * Reserves the block around {@code server.port}.
	 * @param backend the backend
	 * @param requested a block for which {@link #appliesTo} holds
	 * @param why why the block starting at {@code server.port} was not reserved, for the
	 * log
	 * @return the reserved block, or {@code null} when {@code server.port} itself cannot
	 * be held
	 */
	static BlockAroundServerPort reserve(PortReservations backend, RequestedBlock requested, String why) {
		int port = requested.startPort();
		for (int round = 0; round < ROUNDS; round++) {
			int first = Math.max(1, port - requested.count() + 1);
			int last = (int) Math.min(PortBlock.MAX_PORT, (long) port + requested.count() - 1);
			boolean[] free = new boolean[last - first + 1];
			for (int candidate = first; candidate <= last; candidate++) {
				free[candidate - first] = isFree(backend, requested.protocol(), candidate);
			}
			if (!free[port - first]) {
				return null;
			}
			int runStart = port;
			while (runStart > first && free[runStart - 1 - first]) {
				runStart--;
			}
			int runEnd = port;
			while (runEnd < last && free[runEnd + 1 - first]) {
				runEnd++;
			}
			int size = Math.min(requested.count(), runEnd - runStart + 1);
			// As close to starting at server.port as the free ports allow.
			int start = Math.min(port, runEnd - size + 1);
			PortBlock block = new PortBlock(start, size);
			try {
				PortReservation reservation = backend.acquireRuntime(requested.protocol(), block);
				return new BlockAroundServerPort(reservation,
						placement(requested, why, block, busyPorts(free, first, port, requested.count())),
						size < requested.count());
			}
			catch (PortReservationException ex) {
				// Taken since the probe: probe again.
			}
		}
		return null;
	}

	private static String placement(RequestedBlock requested, String why, PortBlock block, List<Integer> busy) {
		int port = requested.startPort();
		StringBuilder text = new StringBuilder("holds server.port=").append(port)
			.append(" (portreservation.start-port is not set); the block starting there, ");
		text.append(port)
			.append('-')
			.append(Math.min(PortBlock.MAX_PORT, (long) port + requested.count() - 1))
			.append(", ")
			.append(why);
		if (!busy.isEmpty()) {
			text.append(" (").append((busy.size() == 1) ? "port " : "ports ").append(join(busy)).append(" in use)");
		}
		text.append(", so the block lies on the free ports around server.port");
		if (block.count() < requested.count()) {
			text.append(", with only ")
				.append(BlockLog.ports(block.count()))
				.append(" instead of portreservation.count=")
				.append(requested.count())
				.append(" (no more free ports next to server.port; a management server on its own port or named ports"
						+ " may find the block exhausted)");
		}
		text.append(". Set portreservation.start-port to pin a block of your own");
		return text.toString();
	}

	private static List<Integer> busyPorts(boolean[] free, int first, int port, int count) {
		List<Integer> busy = new ArrayList<>();
		for (int candidate = port; candidate < port + count && candidate - first < free.length; candidate++) {
			if (!free[candidate - first]) {
				busy.add(candidate);
			}
		}
		return busy;
	}

	private static String join(List<Integer> ports) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < ports.size(); i++) {
			text.append((i == 0) ? "" : (i == ports.size() - 1) ? " and " : ", ").append(ports.get(i));
		}
		return text.toString();
	}

	private static boolean isFree(PortReservations backend, Protocol protocol, int port) {
		try (PortReservation probe = backend.acquireRuntime(protocol, new PortBlock(port, 1))) {
			return true;
		}
		catch (PortReservationException ex) {
			return false;
		}
	}

}
