package dev.portreservation.boot.autoconfigure.web;

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
 * The per-server hooks, declared once for both contexts that start a server: the
 * application context imports them ({@link PortReservationWebServerAutoConfiguration})
 * and so does the management child context
 * ({@link PortReservationManagementChildContextConfiguration}), as bean post-processors
 * act only in their own context. Each hook serves its own context's server
 * ({@link ReservedWebServerFactoryPostProcessor}).
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
			return new TomcatReservedWebServerFactoryPostProcessor(reservation, environment);
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
			return new NettyReservedWebServerFactoryPostProcessor(reservation, environment, resourceFactory);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(
			name = { "org.eclipse.jetty.server.Server", "org.springframework.boot.jetty.JettyWebServerFactory" })
	static final class Jetty {

		@Bean
		static JettyReservedWebServerFactoryPostProcessor jettyPortReservationPostProcessor(
				ObjectProvider<PortReservation> reservation, Environment environment) {
			return new JettyReservedWebServerFactoryPostProcessor(reservation, environment);
		}

	}

}
