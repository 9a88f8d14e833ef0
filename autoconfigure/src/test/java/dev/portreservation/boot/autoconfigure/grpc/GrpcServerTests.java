package dev.portreservation.boot.autoconfigure.grpc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Spring gRPC's Netty server binds through the block and answers a real gRPC call (the
 * health service).
 */
@GuardTimeout(60)
class GrpcServerTests {

	@Test
	void theGrpcServerListensOnAPortOfTheBlockAndAnswers() {
		List<GrpcServerStartedEvent> started = new CopyOnWriteArrayList<>();
		try (ConfigurableApplicationContext context = application("portreservation.count=2")
			.listeners((ApplicationListener<GrpcServerStartedEvent>) started::add)
			.run()) {
			PortReservation reservation = context.getBean(PortReservation.class);
			assertThat(started).singleElement().satisfies((event) -> {
				int port = event.getPort();
				assertThat(reservation.block().contains(port)).as("port %d in %s", port, reservation.block()).isTrue();
				assertThat(reservation.leases()).extracting(PortLease::port, PortLease::owner)
					.containsExactly(org.assertj.core.groups.Tuple.tuple(port, "grpc"));
				assertThat(health(port)).isEqualTo(ServingStatus.SERVING);
			});
		}
	}

	@Test
	void aGrpcPortOutsideTheBlockFailsStartup() {
		// Below 1024: never inside a block the backend places itself.
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> application("portreservation.count=1", "spring.grpc.server.port=1023").run())
			.withStackTraceContaining("spring.grpc.server.port=1023 lies outside the reserved block");
	}

	private static SpringApplicationBuilder application(String... properties) {
		return new SpringApplicationBuilder(GrpcApplication.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "spring.grpc.server.host=127.0.0.1")
			.properties(properties);
	}

	private static ServingStatus health(int port) {
		ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
		try {
			return HealthGrpc.newBlockingStub(channel)
				.withDeadlineAfter(10, TimeUnit.SECONDS)
				.check(HealthCheckRequest.getDefaultInstance())
				.getStatus();
		}
		finally {
			channel.shutdownNow();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class GrpcApplication {

		// Spring gRPC starts a server only for an application with a service of its own;
		// it then adds its
		// health service, which the test calls.
		@Bean
		BindableService noopService() {
			return () -> ServerServiceDefinition.builder("portreservation.Noop").build();
		}

	}

}
