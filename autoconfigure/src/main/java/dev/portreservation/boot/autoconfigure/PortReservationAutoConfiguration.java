package dev.portreservation.boot.autoconfigure;

import dev.portreservation.boot.namedports.NamedPorts;
import dev.portreservation.boot.reservation.UnusedBlockReport;
import dev.portreservation.boot.reservation.PortReservationLifecycle;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * Reserves the block of ports described by {@code portreservation.*} and exposes it as a
 * {@link PortReservation} bean, held until the application context closes.
 * <p>
 * The block is reserved when something first asks for it: the embedded web server that
 * binds through it, or a bean that injects it. A context that cannot use a block (no web
 * server, {@code server.port=-1}, a MOCK test context) holds none, and says so in the
 * log.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "portreservation.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PortReservationProperties.class)
public final class PortReservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PortReservations portReservations(PortReservationProperties properties, Environment environment) {
		return BlockEntryPoint.backend(properties, environment);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(PortReservation.class)
	static final class ReservedBlockConfiguration {

		private static final String LIFECYCLE_BEAN = "portReservationLifecycle";

		// The reservation is made by the lifecycle bean, which also gives it back:
		// whoever asks for the reservation first (a web server factory, during refresh)
		// creates the lifecycle with it, so even a startup that fails before the
		// singletons are instantiated releases the block. Lazy: nothing asks, nothing is
		// reserved. A ${portreservation.ports.<name>} resolved earlier may have reserved
		// the block already: the bean is that same lifecycle, so named ports and servers
		// share one block with one holder (BlockEntryPoint decides for both).
		@Bean(LIFECYCLE_BEAN)
		@Lazy
		PortReservationLifecycle portReservationLifecycle(PortReservations portReservations,
				PortReservationProperties properties, ApplicationContext context) {
			return BlockEntryPoint.lifecycle(portReservations, properties, context);
		}

		@Bean(destroyMethod = "")
		@Lazy
		PortReservation portReservation(PortReservationLifecycle portReservationLifecycle) {
			return portReservationLifecycle.getReservation();
		}

		@Bean
		static UnusedBlockReport portReservationUnusedBlockReport(ConfigurableListableBeanFactory beanFactory) {
			return new UnusedBlockReport(beanFactory, LIFECYCLE_BEAN,
					() -> beanFactory.containsSingleton(NamedPorts.NAME)
							&& beanFactory.getSingleton(NamedPorts.NAME) instanceof NamedPorts namedPorts
							&& namedPorts.holdsBlock());
		}

	}

}
