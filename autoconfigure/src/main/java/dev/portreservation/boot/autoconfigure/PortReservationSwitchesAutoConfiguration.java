package dev.portreservation.boot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Checks that the on/off switches of this starter are booleans. The switches are read by
 * {@code @ConditionalOnBooleanProperty}, which treats any value other than {@code true}
 * as "off": a typo such as {@code portreservation.enabled=ture} would silently start the
 * application with no reserved block. This configuration is unconditional, so the binder
 * reports the bad value, naming the property, before any condition is evaluated.
 * <p>
 * It also checks every {@code portreservation.*} property first
 * ({@link StrictPortReservationProperties}): unknown names, numbers not in decimal, lists
 * or maps where one value belongs.
 */
@AutoConfiguration(beforeName = { "dev.portreservation.boot.autoconfigure.PortReservationAutoConfiguration",
		"dev.portreservation.boot.autoconfigure.web.PortReservationWebServerAutoConfiguration",
		"dev.portreservation.boot.autoconfigure.metrics.PortReservationMetricsAutoConfiguration" })
public final class PortReservationSwitchesAutoConfiguration {

	static final String[] SWITCHES = { "portreservation.enabled", "portreservation.server.enabled",
			"portreservation.metrics.enabled" };

	PortReservationSwitchesAutoConfiguration(Environment environment) {
		// Strict input first: a typo such as portreservation.enabeld=false is reported,
		// not ignored.
		StrictPortReservationProperties.fromMetadata(PortReservationSwitchesAutoConfiguration.class.getClassLoader())
			.check(environment);
		Binder binder = Binder.get(environment);
		for (String name : SWITCHES) {
			binder.bind(name, Boolean.class);
		}
	}

}
