package dev.portreservation.boot.autoconfigure.grpc;

import dev.portreservation.boot.autoconfigure.condition.ConditionalOnServerHooks;
import dev.portreservation.boot.autoconfigure.PortReservationAutoConfiguration;
import dev.portreservation.core.PortReservation;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Makes the Spring gRPC server (grpc-netty, {@code spring.grpc.server.port}) bind through
 * the reserved block, under the same switch as the web server
 * ({@code portreservation.server.enabled}). The shaded-Netty and servlet variants of
 * Spring gRPC are not covered.
 */
@AutoConfiguration(after = PortReservationAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.grpc.server.NettyGrpcServerFactory",
		"org.springframework.boot.grpc.server.autoconfigure.GrpcServerProperties", "io.grpc.netty.NettyServerBuilder",
		"reactor.netty.resources.LoopResources" })
@ConditionalOnServerHooks
public final class PortReservationGrpcServerAutoConfiguration {

	@Bean
	ReservedGrpcServerCustomizer reservedGrpcServerCustomizer(ObjectProvider<PortReservation> reservation) {
		return new ReservedGrpcServerCustomizer(reservation);
	}

	@Bean
	static GrpcServerPortRule grpcServerPortRule(ObjectProvider<PortReservation> reservation, Environment environment) {
		return new GrpcServerPortRule(reservation, environment);
	}

}
