package dev.portreservation.autoconfigure.metrics;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the port reservation meters.
 */
@ConfigurationProperties("portreservation.metrics")
public class PortReservationMetricsProperties {

	/**
	 * Whether to publish Micrometer meters (portreservation.*) for every PortReservation bean.
	 */
	private boolean enabled = true;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}
