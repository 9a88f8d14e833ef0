package dev.portreservation.boot.autoconfigure.metrics;

import dev.portreservation.boot.metrics.PortReservationMeterBinder;

import dev.portreservation.boot.reservation.HeldReservations;
import dev.portreservation.boot.autoconfigure.condition.ConditionalOnPortReservationBean;
import dev.portreservation.core.PortReservation;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Publishes Micrometer meters for every {@link PortReservation} bean of the context when
 * Micrometer is present. Switched off with Boot's
 * {@code management.metrics.enable.portreservation=false} (which also stops the per-bind
 * metering work), or with the deprecated {@code portreservation.metrics.enabled=false}.
 */
@AutoConfiguration(after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class },
		afterName = "dev.portreservation.boot.autoconfigure.PortReservationAutoConfiguration")
@ConditionalOnClass({ MeterRegistry.class, MetricsAutoConfiguration.class })
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnPortReservationBean
@ConditionalOnBooleanProperty(name = "portreservation.metrics.enabled", matchIfMissing = true)
@Conditional(OnPortReservationMetersEnabledCondition.class)
@EnableConfigurationProperties(PortReservationMetricsProperties.class)
public final class PortReservationMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PortReservationMeterBinder portReservationMeterBinder(ListableBeanFactory beanFactory) {
		return new PortReservationMeterBinder(HeldReservations.of(beanFactory));
	}

}
