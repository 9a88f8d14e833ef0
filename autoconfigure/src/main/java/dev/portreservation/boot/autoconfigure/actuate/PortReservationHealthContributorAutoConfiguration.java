package dev.portreservation.boot.autoconfigure.actuate;

import dev.portreservation.boot.health.PortReservationHealthIndicator;
import dev.portreservation.boot.windows.ExcludedRangeOverlaps;

import java.util.Map;
import java.util.function.Function;

import dev.portreservation.boot.reservation.HeldReservations;
import dev.portreservation.boot.autoconfigure.condition.ConditionalOnPortReservationBean;
import dev.portreservation.core.PortReservation;
import dev.portreservation.windows.ExcludedPortRanges;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.CompositeHealthContributorConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A health indicator per {@link PortReservation} bean (a composite keyed by bean name
 * when there are several), under the name {@code portReservation}. Switched off with
 * {@code management.health.portreservation.enabled=false}. On Windows the indicators name
 * the excluded port ranges a block overlaps, read through {@link ExcludedRangeSources#of}
 * (an {@link ExcludedPortRanges.Source} bean replaces netsh).
 */
@AutoConfiguration(before = HealthContributorAutoConfiguration.class,
		afterName = "dev.portreservation.boot.autoconfigure.PortReservationAutoConfiguration")
@ConditionalOnClass(Health.class)
@ConditionalOnPortReservationBean
@ConditionalOnEnabledHealthIndicator("portreservation")
@EnableConfigurationProperties(PortReservationHealthProperties.class)
public final class PortReservationHealthContributorAutoConfiguration
		extends CompositeHealthContributorConfiguration<PortReservationHealthIndicator, PortReservation> {

	PortReservationHealthContributorAutoConfiguration(PortReservationHealthProperties properties,
			Environment environment, ObjectProvider<ExcludedPortRanges.Source> excludedRanges) {
		super(indicators(properties, environment, ExcludedRangeSources.of(excludedRanges)));
	}

	private static Function<PortReservation, PortReservationHealthIndicator> indicators(
			PortReservationHealthProperties properties, Environment environment, ExcludedRangeOverlaps excluded) {
		DeprecatedHealthProperties.applyTo(Binder.get(environment), properties);
		return (reservation) -> new PortReservationHealthIndicator(reservation,
				properties.getFreePortsWarningThreshold(), properties.isDownWhenExhausted(), excluded);
	}

	@Bean
	@ConditionalOnMissingBean(name = { "portReservationHealthIndicator", "portReservationHealthContributor" })
	HealthContributor portReservationHealthContributor(ConfigurableListableBeanFactory beanFactory) {
		Map<String, PortReservation> held = HeldReservations.of(beanFactory);
		if (held.isEmpty()) {
			// The auto-configured block is reserved on first use, and nothing used it.
			return (HealthIndicator) () -> Health.up()
				.withDetail("reserved", false)
				.withDetail("reason", "No block reserved: nothing in this application binds through one")
				.build();
		}
		return createContributor(held);
	}

}
