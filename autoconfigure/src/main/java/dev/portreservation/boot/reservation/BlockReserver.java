package dev.portreservation.boot.reservation;

import dev.portreservation.boot.PortReservationSetupException;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Turns a {@link RequestedBlock} into a held reservation. When a block placed by a
 * property cannot be reserved, the failure names that property and a start that is free
 * right now, so the fix works on the next start.
 */
final class BlockReserver {

	private static final Log logger = LogFactory.getLog(BlockReserver.class);

	// How far the search for a free alternative block goes, in blocks of the requested
	// size either way.
	private static final int ALTERNATIVES = 16;

	private BlockReserver() {
	}

	static PortReservation reserve(PortReservations backend, RequestedBlock requested) {
		if (requested.overflows()) {
			PortReservation around = aroundServerPort(backend, requested, "would run past port 65535");
			if (around != null) {
				return around;
			}
			throw overflow(requested);
		}
		PortReservation reservation;
		try {
			reservation = acquire(backend, requested);
		}
		catch (PortReservationException ex) {
			PortReservation around = takenByOthers(ex) ? aroundServerPort(backend, requested, "is not free right now")
					: null;
			if (around != null) {
				return around;
			}
			throw explained(backend, requested, ex);
		}
		if (logger.isInfoEnabled()) {
			logger.info(BlockLog.reserved(reservation, requested));
		}
		return reservation;
	}

	// A neighbour of server.port held by someone else, or barred from this process (a
	// Windows excluded range): plain Boot, which binds server.port alone, would not
	// notice.
	private static boolean takenByOthers(PortReservationException ex) {
		return ex.getReason() == Reason.CONFLICT || ex.getReason() == Reason.ACCESS_DENIED;
	}

	// Plain Boot starts whenever server.port itself is free: a block placed by
	// server.port
	// moves to the free ports around it instead of failing (null when server.port is
	// taken, which fails plain Boot too).
	private static PortReservation aroundServerPort(PortReservations backend, RequestedBlock requested, String why) {
		if (!BlockAroundServerPort.appliesTo(requested)) {
			return null;
		}
		BlockAroundServerPort around = BlockAroundServerPort.reserve(backend, requested, why);
		if (around == null) {
			return null;
		}
		String line = BlockLog.reserved(around.reservation(), around.placement());
		if (around.smallerThanAsked()) {
			logger.warn(line);
		}
		else if (logger.isInfoEnabled()) {
			logger.info(line);
		}
		return around.reservation();
	}

	private static PortReservation acquire(PortReservations backend, RequestedBlock requested) {
		PortBlock block = requested.block();
		if (requested.kind() == ReservationKind.RUNTIME) {
			return (block != null) ? backend.acquireRuntime(requested.protocol(), block)
					: backend.acquireRuntime(requested.protocol(), requested.count());
		}
		return backend.lookupOrCreatePersistent(requested.protocol(), block);
	}

	private static PortReservationException explained(PortReservations backend, RequestedBlock requested,
			PortReservationException ex) {
		boolean placed = !requested.chosenByOperatingSystem();
		boolean runtimeDenied = ex.getReason() == Reason.ACCESS_DENIED && requested.kind() == ReservationKind.RUNTIME;
		if (!placed || !(ex.getReason() == Reason.CONFLICT || runtimeDenied)) {
			return ex;
		}
		String property = requested.startSource();
		String because = RequestedBlock.SERVER_PORT.equals(property) ? " (the block starts at server.port="
				+ requested.startPort() + " because portreservation.start-port is not set)" : "";
		Integer free = freeStart(backend, requested);
		// A Windows excluded range has no holder to stop: the way out is a start clear of
		// it, or the block kept for good as a persistent reservation.
		boolean excluded = ex.getProblem().filter(Problem.EXCLUDED_PORT_RANGE::equals).isPresent();
		String action = (free != null)
				? "Set " + property + "=" + free + ": block " + new PortBlock(free, requested.count())
						+ (excluded ? " lies outside every range Windows excludes and is free right now."
								: " is free right now. Or stop what holds "
										+ ((requested.count() == 1) ? "port " : "ports ") + requested.block() + ".")
				: "Choose another " + property + " for a block of " + BlockLog.ports(requested.count())
						+ (excluded ? ", clear of the ranges 'portreservation excluded' lists."
								: ", or stop what holds ports " + requested.block() + ".");
		if (excluded) {
			action += excludedRangeWayOut(requested);
		}
		if (RequestedBlock.SERVER_PORT.equals(property) && requested.kind() == ReservationKind.RUNTIME) {
			action += " To let the operating system pick the block, remove server.port (or set it to 0).";
		}
		return new PortReservationSetupException(ex.getReason(), ex.getDetail() + because,
				ex.getBlock().orElse(requested.block()), requested.protocol(), action, ex);
	}

	private static String excludedRangeWayOut(RequestedBlock requested) {
		String when = " while the ports are not excluded (for example right after a reboot, or after 'net stop "
				+ "winnat')";
		if (requested.kind() == ReservationKind.PERSISTENT) {
			return " Or create this persistent block" + when + ": the system then leaves it alone.";
		}
		String udp = (requested.protocol() == Protocol.UDP) ? " --udp" : "";
		return " Or keep these ports for good: create the block once as a persistent reservation from an elevated "
				+ "shell ('portreservation create " + requested.startPort() + " " + requested.count() + udp + "'" + when
				+ ") and set portreservation.kind=persistent with portreservation.start-port=" + requested.startPort()
				+ ".";
	}

	// A runtime block of the same size that can be reserved right now, looked for next to
	// the requested one.
	private static Integer freeStart(PortReservations backend, RequestedBlock requested) {
		int count = requested.count();
		for (int step = 1; step <= ALTERNATIVES; step++) {
			for (int direction : new int[] { 1, -1 }) {
				long start = requested.startPort() + (long) direction * step * count;
				if (start >= 1024 && start + count - 1 <= PortBlock.MAX_PORT
						&& isFree(backend, requested, (int) start)) {
					return (int) start;
				}
			}
		}
		return null;
	}

	private static boolean isFree(PortReservations backend, RequestedBlock requested, int start) {
		try (PortReservation probe = backend.acquireRuntime(requested.protocol(),
				new PortBlock(start, requested.count()))) {
			return true;
		}
		catch (PortReservationException ex) {
			return false;
		}
	}

	private static PortReservationSetupException overflow(RequestedBlock requested) {
		int last = PortBlock.MAX_PORT - requested.count() + 1;
		return new PortReservationSetupException(Reason.INVALID,
				"The block of " + BlockLog.ports(requested.count()) + " starting at " + requested.startSource() + "="
						+ requested.startPort() + " would end at port "
						+ ((long) requested.startPort() + requested.count() - 1) + ", beyond 65535",
				null, requested.protocol(), "Set " + requested.startSource() + "=" + last + " (or lower), or lower "
						+ "portreservation.count to " + (PortBlock.MAX_PORT - requested.startPort() + 1) + " or less.");
	}

}
