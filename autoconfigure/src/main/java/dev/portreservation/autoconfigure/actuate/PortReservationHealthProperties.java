package dev.portreservation.autoconfigure.actuate;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the port reservation health indicator.
 */
@ConfigurationProperties("portreservation.health")
public class PortReservationHealthProperties {

	/**
	 * Number of free ports at or below which the indicator stays UP but adds a 'warning' detail, so that a
	 * block running low shows before it is exhausted. 0 turns the warning off.
	 */
	private int freePortsWarningThreshold = 1;

	/**
	 * Whether an exhausted block (no free port) reports DOWN. Turn off for a block sized exactly for its
	 * fixed users (say one port for the server), where being full is the normal state.
	 */
	private boolean downWhenExhausted = true;

	public int getFreePortsWarningThreshold() {
		return this.freePortsWarningThreshold;
	}

	public void setFreePortsWarningThreshold(int freePortsWarningThreshold) {
		if (freePortsWarningThreshold < 0) {
			throw new IllegalArgumentException("portreservation.health.free-ports-warning-threshold must be 0 "
					+ "(no warning) or a positive number of ports, was " + freePortsWarningThreshold);
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
