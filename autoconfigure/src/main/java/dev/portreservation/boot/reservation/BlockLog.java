package dev.portreservation.boot.reservation;

import java.util.Locale;

import dev.portreservation.core.Enforcement;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.ReservationKind;

/**
 * The wording of the lines this starter logs about a block, so the reserve and release
 * lines read alike.
 */
final class BlockLog {

	private BlockLog() {
	}

	/**
	 * @param count a number of ports
	 * @return "1 port" or "N ports"
	 */
	static String ports(int count) {
		return count + ((count == 1) ? " port" : " ports");
	}

	/**
	 * @param reservation a reservation
	 * @return for example {@code TCP block 40000-40007 (8 ports, runtime, linux backend)}
	 */
	static String describe(PortReservation reservation) {
		return reservation.protocol() + " block " + reservation.block() + " (" + ports(reservation.block().count())
				+ ", " + reservation.kind().name().toLowerCase(Locale.ROOT) + ", " + reservation.backend()
				+ " backend)";
	}

	/**
	 * @param reservation a reservation just made
	 * @param requested what was asked for
	 * @return the INFO line logged when the block is reserved
	 */
	static String reserved(PortReservation reservation, RequestedBlock requested) {
		return reserved(reservation, requested.placement());
	}

	/**
	 * @param reservation a reservation just made
	 * @param placement how the block was placed
	 * @return the INFO line logged when the block is reserved
	 */
	static String reserved(PortReservation reservation, String placement) {
		StringBuilder line = new StringBuilder("Reserved ").append(describe(reservation)).append(": ");
		line.append(placement);
		if (reservation.kind() == ReservationKind.PERSISTENT) {
			line.append(reservation.createdByThisProcess() ? "; created the persistent record"
					: "; found the persistent record already there");
		}
		line.append("; enforced by the OS: ").append(reservation.enforcement());
		if (reservation.enforcement() == Enforcement.NONE) {
			line.append(" (only this JVM keeps off the block)");
		}
		return line.toString();
	}

	/**
	 * @param reservation a reservation just closed
	 * @return the INFO line logged when the block is released
	 */
	static String released(PortReservation reservation) {
		return "Released " + describe(reservation)
				+ ((reservation.kind() == ReservationKind.PERSISTENT) ? "; the persistent record stays" : "");
	}

}
