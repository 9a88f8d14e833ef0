package dev.portreservation.autoconfigure;

import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.ReservationKind;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Holds the auto-configured block and gives it back when the context closes. A persistent block this application
 * created is deleted when {@code portreservation.delete-on-shutdown} is set, and also when startup failed
 * before the context was refreshed, so a failed start leaves nothing reserved behind. A block that was
 * found already recorded is never deleted.
 */
public class PortReservationLifecycle
		implements ApplicationListener<ContextRefreshedEvent>, ApplicationContextAware, DisposableBean {

	private static final Log logger = LogFactory.getLog(PortReservationLifecycle.class);

	private final PortReservation reservation;

	private final PortReservations backend;

	private final boolean deleteOnShutdown;

	private ApplicationContext context;

	private volatile boolean started;

	PortReservationLifecycle(PortReservation reservation, PortReservations backend, boolean deleteOnShutdown) {
		this.reservation = reservation;
		this.backend = backend;
		this.deleteOnShutdown = deleteOnShutdown;
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		// Child contexts (the management server) publish to their parent too: only our own refresh counts.
		if (event.getApplicationContext() == this.context) {
			this.started = true;
		}
	}

	/** @return the reservation this lifecycle holds */
	public PortReservation getReservation() {
		return this.reservation;
	}

	/** @return whether the owning context finished its refresh */
	public boolean isStarted() {
		return this.started;
	}

	@Override
	public void destroy() {
		this.reservation.close();
		if (shouldDelete()) {
			try {
				this.backend.deletePersistent(this.reservation.protocol(), this.reservation.block());
				logger.info("Deleted persistent " + this.reservation.protocol() + " reservation "
						+ this.reservation.block() + ((this.started) ? "" : " after a failed startup"));
			}
			catch (PortReservationException ex) {
				logger.warn("Could not delete persistent reservation " + this.reservation.block() + ": "
						+ ex.getMessage(), ex);
			}
		}
	}

	private boolean shouldDelete() {
		return this.reservation.kind() == ReservationKind.PERSISTENT && this.reservation.createdByThisProcess()
				&& (this.deleteOnShutdown || !this.started);
	}

}
