package dev.portreservation.boot.autoconfigure.metrics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;

/**
 * Settings of the port reservation meters. The switch is kept as a deprecated alias:
 * Boot's {@code management.metrics.enable.portreservation} is the way to turn the meters
 * off.
 */
@ConfigurationProperties("portreservation.metrics")
public class PortReservationMetricsProperties {

	/**
	 * Whether to publish Micrometer meters (portreservation.*) for every PortReservation
	 * bean.
	 */
	private boolean enabled = true;

	/**
	 * @return whether the meters are published
	 * @deprecated since 0.1.0 in favour of Boot's
	 * {@code management.metrics.enable.portreservation}
	 */
	@Deprecated(since = "0.1.0")
	@DeprecatedConfigurationProperty(replacement = "management.metrics.enable.portreservation", since = "0.1.0",
			reason = "Spring Boot's meter filter switches meters on and off by name prefix")
	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}
