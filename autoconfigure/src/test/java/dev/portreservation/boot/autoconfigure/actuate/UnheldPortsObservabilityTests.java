package dev.portreservation.boot.autoconfigure.actuate;

import dev.portreservation.boot.actuate.endpoint.PortReservationsEndpoint;

import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Map;

import dev.portreservation.boot.actuate.endpoint.PortReservationsEndpoint.ReservationDescriptor;
import dev.portreservation.boot.autoconfigure.metrics.PortReservationMetricsAutoConfiguration;
import dev.portreservation.core.PortReservation;
import dev.portreservation.linux.UnheldPorts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A port the reservation should hold but cannot (a real Linux UDP block in the one
 * situation where that happens, see {@link UnheldPorts}) shows in health with the port,
 * in the endpoint and in a meter, and clears once the port is held again.
 */
@EnabledOnOs(OS.LINUX)
@GuardTimeout(60)
class UnheldPortsObservabilityTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
				PortReservationHealthContributorAutoConfiguration.class,
				PortReservationsEndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
				PortReservationMetricsAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=portreservations",
				"management.metrics.use-global-registry=false")
		.withBean(SimpleMeterRegistry.class)
		.withUserConfiguration(UnsteeredUdpReservation.class);

	@Test
	void unheldPortsShowInHealthEndpointAndMeterUntilHeldAgain() {
		this.runner.run((context) -> {
			PortReservation reservation = context.getBean(PortReservation.class);
			HealthIndicator health = context.getBean("portReservationHealthContributor", HealthIndicator.class);
			PortReservationsEndpoint endpoint = context.getBean(PortReservationsEndpoint.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(unheldGauge(registry)).isZero();
			assertThat(health.health().getDetails()).doesNotContainKey("unheldPorts");
			int port;
			try (DatagramChannel sameUser = UnheldPorts.leaveAPortUnheld(reservation)) {
				port = ((java.net.InetSocketAddress) sameUser.getLocalAddress()).getPort();
				assertThat(reservation.unheldPorts()).containsExactly(port);
				Health unhealthy = health.health();
				assertThat(unhealthy.getStatus()).isEqualTo(Status.UP);
				assertThat(unhealthy.getDetails()).containsEntry("unheldPorts", List.of(port));
				assertThat((String) unhealthy.getDetails().get("warning")).contains("Ports [" + port + "]")
					.contains("are not held");
				Map<String, ReservationDescriptor> described = endpoint.reservations(SecurityContext.NONE)
					.reservations();
				assertThat(described.get("unsteeredUdpReservation").unheldPorts()).containsExactly(port);
				assertThat(unheldGauge(registry)).isEqualTo(1);
			}
			reservation.refresh();
			assertThat(reservation.unheldPorts()).isEmpty();
			assertThat(health.health().getDetails()).doesNotContainKey("unheldPorts").doesNotContainKey("warning");
			assertThat(endpoint.reservations(SecurityContext.NONE)
				.reservations()
				.get("unsteeredUdpReservation")
				.unheldPorts()).isEmpty();
			assertThat(unheldGauge(registry)).isZero();
		});
	}

	private static double unheldGauge(MeterRegistry registry) {
		return registry.get("portreservation.ports.unheld")
			.tag("reservation", "unsteeredUdpReservation")
			.gauge()
			.value();
	}

	@Configuration(proxyBeanMethods = false)
	static class UnsteeredUdpReservation {

		@Bean
		PortReservation unsteeredUdpReservation() {
			return UnheldPorts.udpWithoutSteering(3);
		}

	}

}
