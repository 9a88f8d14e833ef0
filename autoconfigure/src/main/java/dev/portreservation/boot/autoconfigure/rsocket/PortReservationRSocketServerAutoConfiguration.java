package dev.portreservation.boot.autoconfigure.rsocket;

import dev.portreservation.boot.autoconfigure.condition.ConditionalOnServerHooks;
import dev.portreservation.boot.autoconfigure.PortReservationAutoConfiguration;
import dev.portreservation.core.PortReservation;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Makes the RSocket server that Spring Boot starts on {@code spring.rsocket.server.port}
 * bind through the reserved block, under the same switch as the web server
 * ({@code portreservation.server.enabled}).
 */
@AutoConfiguration(after = PortReservationAutoConfiguration.class)
@ConditionalOnClass(
		name = { "org.springframework.boot.rsocket.netty.NettyRSocketServerFactory", "reactor.netty.tcp.TcpServer" })
@ConditionalOnServerHooks
public final class PortReservationRSocketServerAutoConfiguration {

	@Bean
	static RSocketServerPortReservationPostProcessor rSocketServerPortReservationPostProcessor(
			ObjectProvider<PortReservation> reservation, Environment environment,
			ObjectProvider<ReactorResourceFactory> resourceFactory) {
		return new RSocketServerPortReservationPostProcessor(reservation, environment, resourceFactory);
	}

}
