package dev.portreservation.boot.autoconfigure.actuate;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the port reservation health indicator, beside its switch
 * ({@code management.health.portreservation.enabled}) as Boot's own indicators keep
 * theirs. The former names {@code portreservation.health.*} still apply, deprecated.
 */
@ConfigurationProperties("management.health.portreservation")
public class PortReservationHealthProperties {

	/**
	 * Number of free ports at or below which the indicator stays UP but adds a 'warning'
	 * detail, so that a block running low shows before it is exhausted. 0 warns only when
	 * the block is full.
	 */
	private int freePortsWarningThreshold = 1;

	/**
	 * Whether an exhausted block reports DOWN: a bind through it was refused because no
	 * port was free, and no port has come free since. A block that is full without anyone
	 * missing a port stays UP with a warning.
	 */
	private boolean downWhenExhausted = true;

	public int getFreePortsWarningThreshold() {
		return this.freePortsWarningThreshold;
	}

	public void setFreePortsWarningThreshold(int freePortsWarningThreshold) {
		if (freePortsWarningThreshold < 0) {
			throw new IllegalArgumentException("management.health.portreservation.free-ports-warning-threshold must "
					+ "be 0 (warn only when the block is full) or a positive number of ports, was "
					+ freePortsWarningThreshold);
		}
		this.freePortsWarningThreshold = freePortsWarningThreshold;
	}

	public boolean isDownWhenExhausted() {
		return this.downWhenExhausted;
	}

	public void setDownWhenExhausted(boolean downWhenExhausted) {
		this.downWhenExhausted = downWhenExhausted;
	}

}
