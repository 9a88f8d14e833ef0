package dev.portreservation.autoconfigure.actuate;

import dev.portreservation.autoconfigure.metrics.LeaseOwner;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservationListener;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of one reserved block, read from the live reservation on every check.
 * <ul>
 * <li>DOWN when the reservation was closed or lost.</li>
 * <li>DOWN when the block is exhausted: a bind was refused because no port of it was free, and no port has
 * come back since (a release or a successful bind ends it). A block that is merely full, say two ports for
 * the server and the management server, is the normal state of a block sized for its users, so it stays
 * UP with a warning until someone actually misses a port.</li>
 * <li>Otherwise UP, with a {@code warning} detail once the free ports fall to the threshold; except a block
 * filled by design, whose every port is taken by the application's own servers (one port for the server,
 * two for the server and the management server): UP without a warning.</li>
 * </ul>
 */
public class PortReservationHealthIndicator extends AbstractHealthIndicator implements PortReservationListener {

	private final PortReservation reservation;

	private final int freePortsWarningThreshold;

	private final boolean downWhenExhausted;

	private volatile PortReservationException refusal;

	/**
	 * Creates the indicator and starts listening to the reservation's binds.
	 * @param reservation the reservation to check
	 * @param freePortsWarningThreshold free ports at or below which a warning detail is added, 0 for none
	 * @param downWhenExhausted whether an exhausted block is DOWN
	 */
	public PortReservationHealthIndicator(PortReservation reservation, int freePortsWarningThreshold,
			boolean downWhenExhausted) {
		super("Port reservation health check failed");
		this.reservation = reservation;
		this.freePortsWarningThreshold = freePortsWarningThreshold;
		this.downWhenExhausted = downWhenExhausted;
		reservation.addListener(this);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		int count = this.reservation.block().count();
		// Reading the leases first notices closed channels, whose release clears a past refusal.
		int inUse = this.reservation.portsInUse();
		int free = count - inUse;
		PortReservationException refused = this.refusal;
		builder.withDetail("block", this.reservation.block().toString())
			.withDetail("protocol", this.reservation.protocol())
			.withDetail("kind", this.reservation.kind())
			.withDetail("portsInUse", inUse)
			.withDetail("portsFree", free);
		if (!this.reservation.isOpen()) {
			builder.down()
				.withDetail("reason", "The reservation of block " + this.reservation.block()
						+ " was closed or lost: new binds through it fail");
		}
		else if (refused != null && this.downWhenExhausted) {
			builder.down()
				.withDetail("reason", "Block " + this.reservation.block() + " is exhausted: a bind was refused ("
						+ refused.getMessage() + ") and no port has come free since; release ports or reserve a "
						+ "larger block");
		}
		else {
			builder.up();
			if (free <= 0 && filledByDesign()) {
				// Sized for exactly the application's own servers: full is the intended state, not a risk.
				return;
			}
			if (free <= 0) {
				builder.withDetail("warning", "All " + count + " ports of block " + this.reservation.block()
						+ " are in use: the next bind will be refused");
			}
			else if (free <= this.freePortsWarningThreshold) {
				builder.withDetail("warning", "Only " + free + " of " + count + " ports of block "
						+ this.reservation.block() + " are free");
			}
		}
	}

	// Every port is a listening socket of the application's own servers (server, management, connectors).
	private boolean filledByDesign() {
		return this.reservation.leases()
			.stream()
			.allMatch((lease) -> LeaseOwner.of(lease.owner()) != LeaseOwner.APPLICATION);
	}

	@Override
	public void bound(PortLease lease, long nanos) {
		this.refusal = null;
	}

	@Override
	public void bindFailed(String owner, PortReservationException failure, long nanos) {
		if (failure.getReason() == Reason.EXHAUSTED) {
			this.refusal = failure;
		}
	}

	@Override
	public void released(PortLease lease) {
		this.refusal = null;
	}

}
