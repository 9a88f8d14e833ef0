package dev.portreservation.autoconfigure.metrics;

import java.util.concurrent.TimeUnit;

import dev.portreservation.autoconfigure.ReservationSockets;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.Protocol;
import dev.portreservation.portable.PortablePortReservations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PortReservationMetricsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(MetricsAutoConfiguration.class, PortReservationMetricsAutoConfiguration.class))
		.withPropertyValues("management.metrics.use-global-registry=false")
		.withBean(SimpleMeterRegistry.class);

	@Test
	void gaugesAndCountersFollowRealBindsAndCloses() {
		this.runner.withUserConfiguration(TcpReservation.class).run((context) -> {
			PortReservation reservation = context.getBean(PortReservation.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Tags tags = Tags.of("reservation", "tcpReservation", "block", reservation.block().toString(), "protocol",
					"tcp", "kind", "runtime");
			assertThat(gauge(registry, "portreservation.ports.max", tags)).isEqualTo(4);
			assertThat(gauge(registry, "portreservation.ports.used", tags)).isZero();
			assertThat(gauge(registry, "portreservation.ports.free", tags)).isEqualTo(4);
			assertThat(gauge(registry, "portreservation.reservation.open", tags)).isEqualTo(1);
			try (ReservationSockets sockets = new ReservationSockets()) {
				var server = sockets.bindServer(reservation, "server");
				sockets.bindServer(reservation, "worker-pool");
				assertThat(gauge(registry, "portreservation.ports.used", tags)).isEqualTo(2);
				assertThat(gauge(registry, "portreservation.ports.free", tags)).isEqualTo(2);
				assertThat(binds(registry, tags, "success", "none", "server")).isEqualTo(1);
				assertThat(binds(registry, tags, "success", "none", "application")).isEqualTo(1);
				assertThat(registry.get("portreservation.bind.latency").tags(tags).tag("outcome", "success").timer()
					.count()).isEqualTo(2);

				ReservationSockets.close(server);
				assertThat(gauge(registry, "portreservation.ports.used", tags)).isEqualTo(1);
				assertThat(gauge(registry, "portreservation.ports.free", tags)).isEqualTo(3);
				reservation.refresh();
				assertThat(registry.get("portreservation.releases").tags(tags).tag("owner", "server").counter()
					.count()).isEqualTo(1);

				sockets.fill(reservation, "worker-pool");
				assertThat(gauge(registry, "portreservation.ports.free", tags)).isZero();
				assertThatExceptionOfType(PortReservationException.class)
					.isThrownBy(() -> sockets.bindServer(reservation, "management"));
				assertThat(binds(registry, tags, "failure", "exhausted", "management")).isEqualTo(1);
				assertThat(registry.get("portreservation.bind.latency").tags(tags).tag("outcome", "failure").timer()
					.count()).isEqualTo(1);
			}
			reservation.close();
			assertThat(gauge(registry, "portreservation.reservation.open", tags)).isZero();
			assertThat(gauge(registry, "portreservation.ports.used", tags)).isZero();
		});
	}

	@Test
	void everyReservationBeanGetsItsOwnMeters() {
		this.runner.withUserConfiguration(TcpReservation.class, UdpReservation.class).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			PortReservation udp = context.getBean("udpReservation", PortReservation.class);
			try (ReservationSockets sockets = new ReservationSockets()) {
				sockets.bindDatagram(udp, "echo");
				assertThat(registry.get("portreservation.ports.used")
					.tags("reservation", "udpReservation", "protocol", "udp", "block", udp.block().toString())
					.gauge()
					.value()).isEqualTo(1);
				assertThat(registry.get("portreservation.ports.used").tags("reservation", "tcpReservation", "protocol",
						"tcp").gauge().value()).isZero();
				assertThat(registry.get("portreservation.ports.max").gauges()).hasSize(2);
			}
		});
	}

	@Test
	void coversReservationsKeptOutOfByTypeInjection() {
		this.runner.withUserConfiguration(NonDefaultCandidateReservation.class).run((context) -> {
			assertThat(context).hasSingleBean(PortReservationMeterBinder.class);
			assertThat(context.getBean(MeterRegistry.class)
				.get("portreservation.ports.max")
				.tag("reservation", "sideReservation")
				.gauge()
				.value()).isEqualTo(2);
		});
	}

	@Test
	void propertySwitchesTheMetersOff() {
		this.runner.withUserConfiguration(TcpReservation.class)
			.withPropertyValues("portreservation.metrics.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(PortReservationMeterBinder.class);
				assertThat(context.getBean(MeterRegistry.class).find("portreservation.ports.max").gauge()).isNull();
			});
	}

	@Test
	void backsOffWithoutAReservation() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(PortReservationMeterBinder.class));
	}

	private static double gauge(MeterRegistry registry, String name, Tags tags) {
		return registry.get(name).tags(tags).gauge().value();
	}

	private static double binds(MeterRegistry registry, Tags tags, String outcome, String reason, String owner) {
		return registry.get("portreservation.binds")
			.tags(tags)
			.tag("outcome", outcome)
			.tag("reason", reason)
			.tag("owner", owner)
			.counter()
			.count();
	}

	@Configuration(proxyBeanMethods = false)
	static class TcpReservation {

		@Bean
		PortReservation tcpReservation() {
			return new PortablePortReservations().acquireRuntime(Protocol.TCP, 4);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NonDefaultCandidateReservation {

		@Bean(defaultCandidate = false)
		PortReservation sideReservation() {
			return new PortablePortReservations().acquireRuntime(Protocol.UDP, 2);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UdpReservation {

		@Bean
		PortReservation udpReservation() {
			return new PortablePortReservations().acquireRuntime(Protocol.UDP, 2);
		}

	}

}
