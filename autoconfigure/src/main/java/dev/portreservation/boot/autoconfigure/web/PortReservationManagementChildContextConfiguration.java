package dev.portreservation.boot.autoconfigure.web;

import dev.portreservation.boot.web.ServerRole;

import dev.portreservation.boot.autoconfigure.web.jetty.JettyReservedWebServerFactoryPostProcessor;
import dev.portreservation.boot.autoconfigure.web.netty.NettyReservedWebServerFactoryPostProcessor;
import dev.portreservation.boot.autoconfigure.web.tomcat.TomcatReservedWebServerFactoryPostProcessor;
import dev.portreservation.core.PortReservation;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * The management server on its own port ({@code management.server.port}) runs in a child
 * context that does not see the application context's post-processors: the same hooks,
 * declared again for the child, with the lease owner {@code "management"}. The
 * reservation itself comes from the parent context.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = { "portreservation.enabled", "portreservation.server.enabled" },
		matchIfMissing = true)
@ConditionalOnBean(PortReservation.class)
public final class PortReservationManagementChildContextConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(
			name = { "org.apache.catalina.startup.Tomcat", "org.springframework.boot.tomcat.TomcatWebServerFactory" })
	static final class Tomcat {

		@Bean
		static TomcatReservedWebServerFactoryPostProcessor tomcatManagementPortReservationPostProcessor(
				ObjectProvider<PortReservation> reservation, Environment environment) {
			return new TomcatReservedWebServerFactoryPostProcessor(reservation, environment, ServerRole.MANAGEMENT);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "reactor.netty.http.server.HttpServer",
			"org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory" })
	static final class Netty {

		@Bean
		static NettyReservedWebServerFactoryPostProcessor nettyManagementPortReservationPostProcessor(
				ObjectProvider<PortReservation> reservation, Environment environment,
				ObjectProvider<ReactorResourceFactory> resourceFactory) {
			return new NettyReservedWebServerFactoryPostProcessor(reservation, environment, ServerRole.MANAGEMENT,
					resourceFactory);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(
			name = { "org.eclipse.jetty.server.Server", "org.springframework.boot.jetty.JettyWebServerFactory" })
	static final class Jetty {

		@Bean
		static JettyReservedWebServerFactoryPostProcessor jettyManagementPortReservationPostProcessor(
				ObjectProvider<PortReservation> reservation, Environment environment) {
			return new JettyReservedWebServerFactoryPostProcessor(reservation, environment, ServerRole.MANAGEMENT);
		}

	}

}
