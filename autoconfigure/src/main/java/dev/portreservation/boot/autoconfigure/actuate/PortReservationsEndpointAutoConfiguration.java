package dev.portreservation.boot.autoconfigure.actuate;

import dev.portreservation.boot.actuate.endpoint.PortReservationsEndpoint;

import dev.portreservation.boot.reservation.HeldReservations;
import dev.portreservation.boot.autoconfigure.condition.ConditionalOnPortReservationBean;
import dev.portreservation.core.PortReservation;
import dev.portreservation.windows.ExcludedPortRanges;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code portreservations} Actuator endpoint, describing every
 * {@link PortReservation} bean, with the Windows excluded ranges a block overlaps (read
 * as for health, see {@link ExcludedRangeSources}).
 */
@AutoConfiguration(afterName = "dev.portreservation.boot.autoconfigure.PortReservationAutoConfiguration")
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnPortReservationBean
@ConditionalOnAvailableEndpoint(PortReservationsEndpoint.class)
@EnableConfigurationProperties(PortReservationsEndpointProperties.class)
public final class PortReservationsEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PortReservationsEndpoint portReservationsEndpoint(ListableBeanFactory beanFactory,
			PortReservationsEndpointProperties properties, ObjectProvider<ExcludedPortRanges.Source> excludedRanges) {
		return new PortReservationsEndpoint(HeldReservations.of(beanFactory), properties.getShowToken(),
				properties.getRoles(), ExcludedRangeSources.of(excludedRanges));
	}

}
