package dev.portreservation.autoconfigure;

import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Reserves the block of ports described by {@code portreservation.*} and exposes it as a
 * {@link PortReservation} bean, held until the application context closes.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "portreservation.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PortReservationProperties.class)
public final class PortReservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PortReservations portReservations(PortReservationProperties properties) {
		return PortReservationBackends.create(properties.getBackend());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(PortReservation.class)
	static final class ReservedBlockConfiguration {

		// The lifecycle bean closes the reservation; Spring must not call close() a second time.
		@Bean(destroyMethod = "")
		PortReservation portReservation(PortReservations portReservations, PortReservationProperties properties) {
			return ReservedBlock.reserve(portReservations, properties);
		}

		@Bean
		PortReservationLifecycle portReservationLifecycle(PortReservation portReservation,
				PortReservations portReservations, PortReservationProperties properties) {
			return new PortReservationLifecycle(portReservation, portReservations, properties.isDeleteOnShutdown());
		}

	}

}
