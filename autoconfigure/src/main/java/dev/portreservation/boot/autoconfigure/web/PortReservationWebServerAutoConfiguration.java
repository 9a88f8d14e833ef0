package dev.portreservation.boot.autoconfigure.web;

import dev.portreservation.boot.autoconfigure.condition.ConditionalOnServerHooks;
import dev.portreservation.boot.autoconfigure.PortReservationAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.util.ClassUtils;

/**
 * Makes the embedded web server (Tomcat, Reactor Netty or Jetty) bind its listening
 * socket through the reserved block, so {@code local.server.port} is a port of the block.
 */
@AutoConfiguration(after = PortReservationAutoConfiguration.class)
@ConditionalOnWebApplication
@ConditionalOnServerHooks
@Import({ ReservedServerConfigurations.Tomcat.class, ReservedServerConfigurations.Netty.class,
		ReservedServerConfigurations.Jetty.class })
public final class PortReservationWebServerAutoConfiguration {

	private static final String TOMCAT_WEB_SERVER = "org.springframework.boot.tomcat.TomcatWebServer";

	@Bean
	static ListenersOutsideTheBlockReport portReservationListenersOutsideTheBlockReport(
			ConfigurableListableBeanFactory beanFactory) {
		boolean tomcat = ClassUtils.isPresent(TOMCAT_WEB_SERVER,
				PortReservationWebServerAutoConfiguration.class.getClassLoader());
		return new ListenersOutsideTheBlockReport(beanFactory,
				(context, port) -> tomcat ? TomcatConnectorNames.name(context, port) : null);
	}

}
