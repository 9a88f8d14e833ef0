package dev.portreservation.autoconfigure;

import java.util.Locale;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.ReservationKind;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Turns validated {@link PortReservationProperties} into a held reservation.
 */
final class ReservedBlock {

	private static final Log logger = LogFactory.getLog(ReservedBlock.class);

	private ReservedBlock() {
	}

	static PortReservation reserve(PortReservations backend, PortReservationProperties properties) {
		PortBlock block = properties.block();
		PortReservation reservation;
		if (properties.getKind() == ReservationKind.RUNTIME) {
			reservation = (block != null) ? backend.acquireRuntime(properties.getProtocol(), block)
					: backend.acquireRuntime(properties.getProtocol(), properties.getCount());
		}
		else {
			reservation = backend.lookupOrCreatePersistent(properties.getProtocol(), block);
		}
		if (logger.isInfoEnabled()) {
			logger.info("Reserved " + reservation.protocol() + " ports " + reservation.block() + " ("
					+ reservation.kind().name().toLowerCase(Locale.ROOT) + ", " + reservation.backend() + " backend"
					+ ((reservation.kind() == ReservationKind.PERSISTENT)
							? (reservation.createdByThisProcess() ? ", created" : ", found existing") : "")
					+ ")");
		}
		return reservation;
	}

}
