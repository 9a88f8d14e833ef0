package dev.portreservation.boot.autoconfigure.actuate;

import dev.portreservation.boot.health.PortReservationHealthIndicator;

import dev.portreservation.boot.autoconfigure.ReservationBeans;
import dev.portreservation.boot.autoconfigure.ReservationBeans.NonDefaultCandidateReservation;
import dev.portreservation.boot.autoconfigure.ReservationBeans.TcpReservation;
import dev.portreservation.boot.autoconfigure.ReservationBeans.UdpReservation;
import dev.portreservation.boot.autoconfigure.ReservationSockets;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@GuardTimeout(60)
class PortReservationHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
				PortReservationHealthContributorAutoConfiguration.class))
		.withPropertyValues(ReservationBeans.TCP_PORTS + "=3", ReservationBeans.UDP_PORTS + "=1",
				ReservationBeans.SIDE_PORTS + "=2");

	@Test
	void upWhileFreeWarnsWhenFullDownOnceABindIsRefusedUpAgainOnRelease() {
		this.runner.withUserConfiguration(TcpReservation.class).run((context) -> {
			PortReservation reservation = context.getBean(PortReservation.class);
			HealthIndicator indicator = context.getBean("portReservationHealthContributor", HealthIndicator.class);
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("block", reservation.block().toString())
				.containsEntry("portsInUse", 0)
				.containsEntry("portsFree", 3)
				.doesNotContainKey("warning");
			try (ReservationSockets sockets = new ReservationSockets()) {
				var first = sockets.bindServer(reservation, "server");
				sockets.bindServer(reservation, "application");
				health = indicator.health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("portsFree", 1)
					.containsEntry("warning", "Only 1 of 3 ports of block " + reservation.block() + " are free");
				sockets.fill(reservation, "application");
				health = indicator.health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("portsFree", 0)
					.containsEntry("warning", "All 3 ports of block " + reservation.block()
							+ " are in use: the next bind will be refused");
				assertThatExceptionOfType(PortReservationException.class)
					.isThrownBy(() -> sockets.bindServer(reservation, "application"));
				health = indicator.health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("portsFree", 0);
				assertThat((String) health.getDetails().get("reason")).contains("is exhausted: a bind was refused");
				ReservationSockets.close(first);
				reservation.refresh();
				health = indicator.health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("portsFree", 1);
			}
			reservation.close();
			health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat((String) health.getDetails().get("reason")).contains("closed or lost");
		});
	}

	@Test
	void thresholdAndExhaustionAreConfigurable() {
		assertThresholdZeroAndUpWhenExhausted(
				this.runner.withPropertyValues("management.health.portreservation.free-ports-warning-threshold=0",
						"management.health.portreservation.down-when-exhausted=false"));
	}

	@Test
	void theFormerNamesStillApply() {
		assertThresholdZeroAndUpWhenExhausted(
				this.runner.withPropertyValues("portreservation.health.free-ports-warning-threshold=0",
						"portreservation.health.down-when-exhausted=false"));
	}

	@Test
	void theCurrentNamesWinOverTheFormerOnes() {
		assertThresholdZeroAndUpWhenExhausted(
				this.runner.withPropertyValues("management.health.portreservation.free-ports-warning-threshold=0",
						"portreservation.health.free-ports-warning-threshold=2",
						"management.health.portreservation.down-when-exhausted=false",
						"portreservation.health.down-when-exhausted=true"));
	}

	private static void assertThresholdZeroAndUpWhenExhausted(ApplicationContextRunner runner) {
		runner.withUserConfiguration(TcpReservation.class).run((context) -> {
			PortReservation reservation = context.getBean(PortReservation.class);
			HealthIndicator indicator = context.getBean("portReservationHealthContributor", HealthIndicator.class);
			try (ReservationSockets sockets = new ReservationSockets()) {
				sockets.bindServer(reservation, "server");
				sockets.bindServer(reservation, "server");
				assertThat(indicator.health().getDetails()).doesNotContainKey("warning");
				sockets.fill(reservation, "application");
				assertThatExceptionOfType(PortReservationException.class)
					.isThrownBy(() -> sockets.bindServer(reservation, "application"));
				Health health = indicator.health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("portsFree", 0).containsKey("warning");
			}
		});
	}

	@Test
	void negativeThresholdFailsNamingTheProperty() {
		for (String name : new String[] { "management.health.portreservation.free-ports-warning-threshold",
				"portreservation.health.free-ports-warning-threshold" }) {
			this.runner.withUserConfiguration(TcpReservation.class)
				.withPropertyValues(name + "=-1")
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageStartingWith(name + " "));
		}
	}

	@Test
	void severalReservationsMakeACompositeByBeanName() {
		this.runner.withUserConfiguration(TcpReservation.class, UdpReservation.class).run((context) -> {
			HealthContributor contributor = context.getBean("portReservationHealthContributor",
					HealthContributor.class);
			assertThat(contributor).isInstanceOf(CompositeHealthContributor.class);
			CompositeHealthContributor composite = (CompositeHealthContributor) contributor;
			assertThat(composite.getContributor("tcpReservation")).isInstanceOf(PortReservationHealthIndicator.class);
			PortReservationHealthIndicator udp = (PortReservationHealthIndicator) composite
				.getContributor("udpReservation");
			PortReservation udpReservation = context.getBean("udpReservation", PortReservation.class);
			try (ReservationSockets sockets = new ReservationSockets()) {
				sockets.bindDatagram(udpReservation, "echo");
				assertThat(udp.health().getStatus()).isEqualTo(Status.UP);
				assertThatExceptionOfType(PortReservationException.class)
					.isThrownBy(() -> sockets.bindDatagram(udpReservation, "echo"));
				assertThat(udp.health().getStatus()).isEqualTo(Status.DOWN);
				assertThat(((PortReservationHealthIndicator) composite.getContributor("tcpReservation")).health()
					.getStatus()).isEqualTo(Status.UP);
			}
			udpReservation.refresh();
			assertThat(udp.health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void coversReservationsKeptOutOfByTypeInjection() {
		this.runner.withUserConfiguration(TcpReservation.class, NonDefaultCandidateReservation.class).run((context) -> {
			CompositeHealthContributor composite = context.getBean("portReservationHealthContributor",
					CompositeHealthContributor.class);
			assertThat(composite.getContributor("tcpReservation")).isNotNull();
			assertThat(composite.getContributor("sideReservation")).isNotNull();
		});
	}

	@Test
	void backsOffWithoutAReservation() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean("portReservationHealthContributor"));
	}

	@Test
	void canBeDisabledTheActuatorWay() {
		this.runner.withUserConfiguration(TcpReservation.class)
			.withPropertyValues("management.health.portreservation.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("portReservationHealthContributor"));
	}

}
