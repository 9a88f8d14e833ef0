package dev.portreservation.boot.autoconfigure.web;

import dev.portreservation.boot.web.ServerRole;

import dev.portreservation.boot.autoconfigure.web.jetty.JettyReservedWebServerFactoryPostProcessor;
import dev.portreservation.boot.autoconfigure.web.netty.NettyReservedWebServerFactoryPostProcessor;
import dev.portreservation.boot.autoconfigure.web.tomcat.TomcatReservedWebServerFactoryPostProcessor;
import dev.portreservation.core.PortReservation;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * The per-server hooks of the application's web server. The management child context
 * declares its own ({@link PortReservationManagementChildContextConfiguration}): bean
 * post-processors are per context.
 */
final class ReservedServerConfigurations {

	private ReservedServerConfigurations() {
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(
			name = { "org.apache.catalina.startup.Tomcat", "org.springframework.boot.tomcat.TomcatWebServerFactory" })
	static final class Tomcat {

		@Bean
		static TomcatReservedWebServerFactoryPostProcessor tomcatPortReservationPostProcessor(
				ObjectProvider<PortReservation> reservation, Environment environment) {
			return new TomcatReservedWebServerFactoryPostProcessor(reservation, environment, ServerRole.SERVER);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "reactor.netty.http.server.HttpServer",
			"org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory" })
	static final class Netty {

		@Bean
		static NettyReservedWebServerFactoryPostProcessor nettyPortReservationPostProcessor(
				ObjectProvider<PortReservation> reservation, Environment environment,
				ObjectProvider<ReactorResourceFactory> resourceFactory) {
			return new NettyReservedWebServerFactoryPostProcessor(reservation, environment, ServerRole.SERVER,
					resourceFactory);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(
			name = { "org.eclipse.jetty.server.Server", "org.springframework.boot.jetty.JettyWebServerFactory" })
	static final class Jetty {

		@Bean
		static JettyReservedWebServerFactoryPostProcessor jettyPortReservationPostProcessor(
				ObjectProvider<PortReservation> reservation, Environment environment) {
			return new JettyReservedWebServerFactoryPostProcessor(reservation, environment, ServerRole.SERVER);
		}

	}

}
