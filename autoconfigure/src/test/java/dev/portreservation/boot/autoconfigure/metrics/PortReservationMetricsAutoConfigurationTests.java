package dev.portreservation.boot.autoconfigure.metrics;

import dev.portreservation.boot.metrics.PortReservationMeterBinder;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.portreservation.boot.autoconfigure.ReservationBeans;
import dev.portreservation.boot.autoconfigure.ReservationBeans.NonDefaultCandidateReservation;
import dev.portreservation.boot.autoconfigure.ReservationBeans.TcpReservation;
import dev.portreservation.boot.autoconfigure.ReservationBeans.UdpReservation;
import dev.portreservation.boot.autoconfigure.ReservationSockets;
import dev.portreservation.core.LentPort;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@GuardTimeout(60)
class PortReservationMetricsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(MetricsAutoConfiguration.class, PortReservationMetricsAutoConfiguration.class))
		.withPropertyValues("management.metrics.use-global-registry=false", ReservationBeans.TCP_PORTS + "=4",
				ReservationBeans.UDP_PORTS + "=2", ReservationBeans.SIDE_PORTS + "=2")
		.withBean(SimpleMeterRegistry.class);

	// What docs/observability.md says about lends: a lend made while the meters are bound
	// is a bind of owner type application; its port is in use until the lent port closes.
	@Test
	void aLendWhileTheMetersAreBoundCountsAsABind() {
		withTcpReservationMeters((reservation, registry, tags) -> {
			try (LentPort lent = reservation.lend("partner")) {
				assertThat(binds(registry, tags, "success", "none", "application")).isEqualTo(1);
				assertThat(gauge(registry, "portreservation.ports.used", tags)).isEqualTo(1);
			}
			assertThat(gauge(registry, "portreservation.ports.used", tags)).isZero();
		});
	}

	@Test
	void gaugesAndCountersFollowRealBindsAndCloses() {
		withTcpReservationMeters((reservation, registry, tags) -> {
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
				assertThat(timedBinds(registry, tags, "success")).isEqualTo(2);

				ReservationSockets.close(server);
				assertThat(gauge(registry, "portreservation.ports.used", tags)).isEqualTo(1);
				assertThat(gauge(registry, "portreservation.ports.free", tags)).isEqualTo(3);
				reservation.refresh();
				assertThat(registry.get("portreservation.releases").tags(tags).tag("owner", "server").counter().count())
					.isEqualTo(1);

				sockets.fill(reservation, "worker-pool");
				assertThat(gauge(registry, "portreservation.ports.free", tags)).isZero();
				assertThatExceptionOfType(PortReservationException.class)
					.isThrownBy(() -> sockets.bindServer(reservation, "management"));
				assertThat(binds(registry, tags, "failure", "exhausted", "management")).isEqualTo(1);
				assertThat(timedBinds(registry, tags, "failure")).isEqualTo(1);
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
				assertThat(registry.get("portreservation.ports.used")
					.tags("reservation", "tcpReservation", "protocol", "tcp")
					.gauge()
					.value()).isZero();
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
	void bootsMeterSwitchTurnsEveryMeterOffAndStopsTheMetering() {
		this.runner.withUserConfiguration(TcpReservation.class, UdpReservation.class)
			.withPropertyValues("management.metrics.enable.portreservation=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(PortReservationMeterBinder.class);
				exerciseEveryMeter(context.getBean("tcpReservation", PortReservation.class));
				assertThat(meterNames(context.getBean(MeterRegistry.class))).isEmpty();
			});
	}

	@Test
	void bootsFallbackSwitchAllTurnsTheMetersOffUnlessTheyAreEnabledByName() {
		this.runner.withUserConfiguration(TcpReservation.class)
			.withPropertyValues("management.metrics.enable.all=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PortReservationMeterBinder.class));
		this.runner.withUserConfiguration(TcpReservation.class)
			.withPropertyValues("management.metrics.enable.all=false", "management.metrics.enable.portreservation=true")
			.run((context) -> {
				exerciseEveryMeter(context.getBean(PortReservation.class));
				assertThat(meterNames(context.getBean(MeterRegistry.class))).containsExactlyInAnyOrder(
						"portreservation.ports.max", "portreservation.ports.used", "portreservation.ports.free",
						"portreservation.ports.unheld", "portreservation.reservation.open", "portreservation.binds",
						"portreservation.bind.latency", "portreservation.releases");
			});
	}

	@Test
	void aLongerPrefixEnabledKeepsJustThoseMeters() {
		this.runner.withUserConfiguration(TcpReservation.class)
			.withPropertyValues("management.metrics.enable.portreservation=false",
					"management.metrics.enable.portreservation.binds=true")
			.run((context) -> {
				exerciseEveryMeter(context.getBean(PortReservation.class));
				assertThat(meterNames(context.getBean(MeterRegistry.class))).containsExactly("portreservation.binds");
			});
	}

	@Test
	void backsOffWithoutAReservation() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(PortReservationMeterBinder.class));
	}

	/**
	 * Feeds every meter: successful binds, a refused one (block full), and a release (the
	 * closed channel's port is taken back by the next bind).
	 */
	private static void exerciseEveryMeter(PortReservation reservation) throws Exception {
		try (ReservationSockets sockets = new ReservationSockets()) {
			var server = sockets.bindServer(reservation, "server");
			sockets.fill(reservation, "worker-pool");
			assertThatExceptionOfType(PortReservationException.class)
				.isThrownBy(() -> sockets.bindServer(reservation, "management"));
			ReservationSockets.close(server);
			sockets.bindServer(reservation, "server");
		}
	}

	private static Set<String> meterNames(MeterRegistry registry) {
		return registry.getMeters()
			.stream()
			.map((meter) -> meter.getId().getName())
			.filter((name) -> name.startsWith("portreservation"))
			.collect(Collectors.toCollection(TreeSet::new));
	}

	/**
	 * Runs the context with the {@code tcpReservation} bean (a TCP block of 4) and hands
	 * it over with the registry and the tags of its meters.
	 * @param test what to check
	 */
	private void withTcpReservationMeters(TcpReservationMeters test) {
		this.runner.withUserConfiguration(TcpReservation.class).run((context) -> {
			PortReservation reservation = context.getBean(PortReservation.class);
			test.check(reservation, context.getBean(MeterRegistry.class), Tags.of("reservation", "tcpReservation",
					"block", reservation.block().toString(), "protocol", "tcp", "kind", "runtime"));
		});
	}

	@FunctionalInterface
	private interface TcpReservationMeters {

		void check(PortReservation reservation, MeterRegistry registry, Tags tags) throws Exception;

	}

	private static double gauge(MeterRegistry registry, String name, Tags tags) {
		return registry.get(name).tags(tags).gauge().value();
	}

	private static long timedBinds(MeterRegistry registry, Tags tags, String outcome) {
		return registry.get("portreservation.bind.latency").tags(tags).tag("outcome", outcome).timer().count();
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

}
