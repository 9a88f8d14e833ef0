package dev.portreservation.boot.autoconfigure.actuate;

import org.springframework.boot.context.properties.bind.Binder;

/**
 * The health settings' former names, {@code portreservation.health.*}, still honoured:
 * the settings now live beside the indicator's switch under
 * {@code management.health.portreservation.*}, as Boot's own indicators keep theirs. A
 * former name applies only when its new name is not set; the metadata marks each as
 * deprecated with its replacement (additional-spring-configuration-metadata.json).
 */
final class DeprecatedHealthProperties {

	static final String FREE_PORTS_WARNING_THRESHOLD = "portreservation.health.free-ports-warning-threshold";

	static final String DOWN_WHEN_EXHAUSTED = "portreservation.health.down-when-exhausted";

	private static final String PREFIX = "management.health.portreservation.";

	private DeprecatedHealthProperties() {
	}

	/**
	 * @param binder the application's configuration
	 * @param properties the settings bound from their current names, completed here from
	 * the former names
	 */
	static void applyTo(Binder binder, PortReservationHealthProperties properties) {
		if (!binder.bind(PREFIX + "free-ports-warning-threshold", Integer.class).isBound()) {
			binder.bind(FREE_PORTS_WARNING_THRESHOLD, Integer.class).ifBound((threshold) -> {
				if (threshold < 0) {
					throw new IllegalArgumentException(FREE_PORTS_WARNING_THRESHOLD + " (deprecated, use " + PREFIX
							+ "free-ports-warning-threshold) must be 0 (warn only when the block is full) or a "
							+ "positive number of ports, was " + threshold);
				}
				properties.setFreePortsWarningThreshold(threshold);
			});
		}
		if (!binder.bind(PREFIX + "down-when-exhausted", Boolean.class).isBound()) {
			binder.bind(DOWN_WHEN_EXHAUSTED, Boolean.class).ifBound(properties::setDownWhenExhausted);
		}
	}

}
