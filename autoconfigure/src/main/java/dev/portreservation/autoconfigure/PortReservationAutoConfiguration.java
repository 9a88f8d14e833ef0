package dev.portreservation.autoconfigure;

import java.util.function.Supplier;

import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

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
		return PortReservationBackends.create(properties);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(PortReservation.class)
	static final class ReservedBlockConfiguration {

		// The reservation is made by the lifecycle bean, which also gives it back: whoever asks for the
		// reservation first (a web server factory, during refresh) creates the lifecycle with it, so even a
		// startup that fails before the singletons are instantiated releases the block.
		@Bean
		PortReservationLifecycle portReservationLifecycle(PortReservations portReservations,
				PortReservationProperties properties, Environment environment) {
			// A ${portreservation.ports.<name>} resolved earlier may have reserved the block already: the bean
			// is that same reservation, so named ports and servers share one block.
			Supplier<PortReservation> reserve = () -> ReservedBlock.reserve(portReservations, properties);
			PortReservation reservation = NamedPorts.find(environment)
				.map((namedPorts) -> namedPorts.reservation(reserve))
				.orElseGet(reserve);
			return new PortReservationLifecycle(reservation, portReservations, properties.isDeleteOnShutdown());
		}

		@Bean(destroyMethod = "")
		PortReservation portReservation(PortReservationLifecycle portReservationLifecycle) {
			return portReservationLifecycle.getReservation();
		}

	}

}
