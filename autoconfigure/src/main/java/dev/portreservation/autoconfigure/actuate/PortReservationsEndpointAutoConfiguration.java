package dev.portreservation.autoconfigure.actuate;

import java.util.Map;

import dev.portreservation.core.PortReservation;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code portreservations} Actuator endpoint, describing every {@link PortReservation} bean.
 */
@AutoConfiguration(afterName = "dev.portreservation.autoconfigure.PortReservationAutoConfiguration")
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(PortReservation.class)
@ConditionalOnAvailableEndpoint(PortReservationsEndpoint.class)
@EnableConfigurationProperties(PortReservationsEndpointProperties.class)
public final class PortReservationsEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PortReservationsEndpoint portReservationsEndpoint(Map<String, PortReservation> reservations,
			PortReservationsEndpointProperties properties) {
		return new PortReservationsEndpoint(reservations, properties.getShowToken(), properties.getRoles());
	}

}
