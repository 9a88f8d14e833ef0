package dev.portreservation.autoconfigure.actuate;

import dev.portreservation.core.PortReservation;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of one reserved block, read from the live reservation on every check: DOWN when the reservation
 * was closed or lost, DOWN when every port of the block is in use (unless turned off), otherwise UP, with
 * a {@code warning} detail once the free ports fall to a threshold.
 */
public class PortReservationHealthIndicator extends AbstractHealthIndicator {

	private final PortReservation reservation;

	private final int freePortsWarningThreshold;

	private final boolean downWhenExhausted;

	/**
	 * @param reservation the reservation to check
	 * @param freePortsWarningThreshold free ports at or below which a warning detail is added, 0 for none
	 * @param downWhenExhausted whether a block without free ports is DOWN
	 */
	public PortReservationHealthIndicator(PortReservation reservation, int freePortsWarningThreshold,
			boolean downWhenExhausted) {
		super("Port reservation health check failed");
		this.reservation = reservation;
		this.freePortsWarningThreshold = freePortsWarningThreshold;
		this.downWhenExhausted = downWhenExhausted;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		int count = this.reservation.block().count();
		int inUse = this.reservation.portsInUse();
		int free = count - inUse;
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
		else if (free <= 0 && this.downWhenExhausted) {
			builder.down()
				.withDetail("reason", "Block " + this.reservation.block() + " is exhausted: all " + count
						+ " ports are in use, further binds fail until one is released; reserve a larger block");
		}
		else {
			builder.up();
			if (free <= this.freePortsWarningThreshold) {
				builder.withDetail("warning", "Only " + free + " of " + count + " ports of block "
						+ this.reservation.block() + " are free");
			}
		}
	}

}
