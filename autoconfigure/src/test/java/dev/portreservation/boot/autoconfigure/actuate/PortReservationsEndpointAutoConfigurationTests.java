package dev.portreservation.boot.autoconfigure.actuate;

import dev.portreservation.boot.actuate.endpoint.PortReservationsEndpoint;

import java.security.Principal;

import dev.portreservation.boot.autoconfigure.ReservationSockets;
import dev.portreservation.boot.actuate.endpoint.PortReservationsEndpoint.ReservationDescriptor;
import dev.portreservation.core.Enforcement;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;
import dev.portreservation.portable.PortablePortReservations;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

@GuardTimeout(60)
class PortReservationsEndpointAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PortReservationsEndpointAutoConfiguration.class))
		.withUserConfiguration(Reservations.class);

	@Test
	void backsOffWithoutAReservation() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PortReservationsEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=portreservations")
			.run((context) -> assertThat(context).doesNotHaveBean(PortReservationsEndpoint.class));
	}

	@Test
	void notAvailableUnlessExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(PortReservationsEndpoint.class));
	}

	@Test
	void describesEveryReservationLiveWithOwnersAndHidesTheToken() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=portreservations").run((context) -> {
			PortReservationsEndpoint endpoint = context.getBean(PortReservationsEndpoint.class);
			PortReservation tcp = context.getBean("tcpReservation", PortReservation.class);
			try (ReservationSockets sockets = new ReservationSockets()) {
				int serverPort = sockets.bindServer(tcp, "server").socket().getLocalPort();
				int managementPort = sockets.bindServer(tcp, "management").socket().getLocalPort();
				sockets.bindServer(tcp, "connector-1");
				sockets.bindServer(tcp, "cache-listener");
				var described = endpoint.reservations(SecurityContext.NONE).reservations();
				assertThat(described).containsOnlyKeys("tcpReservation", "udpReservation");
				ReservationDescriptor descriptor = described.get("tcpReservation");
				assertThat(descriptor.block()).isEqualTo(tcp.block().toString());
				assertThat(descriptor.protocol()).isEqualTo(Protocol.TCP);
				assertThat(descriptor.kind()).isEqualTo(ReservationKind.RUNTIME);
				assertThat(descriptor.backend()).isEqualTo("portable");
				assertThat(descriptor.enforcement()).isEqualTo(Enforcement.NONE);
				assertThat(descriptor.open()).isTrue();
				assertThat(descriptor.portsInUse()).isEqualTo(4);
				assertThat(descriptor.portsFree()).isEqualTo(1);
				assertThat(descriptor.token()).isEqualTo("******");
				assertThat(descriptor.leases()).extracting("owner", "ownerType")
					.containsExactlyInAnyOrder(tuple("server", "server"), tuple("management", "management"),
							tuple("connector-1", "connector"), tuple("cache-listener", "application"));
				assertThat(descriptor.leases()).extracting("port").contains(serverPort, managementPort);
				assertThat(described.get("udpReservation").portsInUse()).isZero();
			}
			assertThat(endpoint.reservation(SecurityContext.NONE, "tcpReservation").portsInUse()).isZero();
			assertThat(endpoint.reservation(SecurityContext.NONE, "nosuch")).isNull();
			tcp.close();
			assertThat(endpoint.reservation(SecurityContext.NONE, "tcpReservation").open()).isFalse();
		});
	}

	@Test
	void showsTheTokenWhenAllowed() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=portreservations",
					"portreservation.endpoint.show-token=always")
			.run((context) -> {
				PortReservation tcp = context.getBean("tcpReservation", PortReservation.class);
				assertThat(context.getBean(PortReservationsEndpoint.class)
					.reservation(SecurityContext.NONE, "tcpReservation")
					.token()).isEqualTo(Long.toUnsignedString(tcp.token()));
			});
	}

	@Test
	void whenAuthorizedHidesTheTokenFromAnonymousCallers() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=portreservations",
					"portreservation.endpoint.show-token=when-authorized")
			.run((context) -> assertThat(context.getBean(PortReservationsEndpoint.class)
				.reservation(SecurityContext.NONE, "tcpReservation")
				.token()).isEqualTo("******"));
	}

	@Test
	void whenAuthorizedShowsTheTokenToCallersWithARole() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=portreservations",
					"portreservation.endpoint.show-token=when-authorized", "portreservation.endpoint.roles=ops")
			.run((context) -> {
				PortReservationsEndpoint endpoint = context.getBean(PortReservationsEndpoint.class);
				PortReservation tcp = context.getBean("tcpReservation", PortReservation.class);
				assertThat(endpoint.reservation(new Caller("ops"), "tcpReservation").token())
					.isEqualTo(Long.toUnsignedString(tcp.token()));
				assertThat(endpoint.reservation(new Caller("dev"), "tcpReservation").token()).isEqualTo("******");
			});
	}

	/**
	 * An authenticated caller holding one role.
	 */
	private record Caller(String role) implements SecurityContext {

		@Override
		public Principal getPrincipal() {
			return () -> "alice";
		}

		@Override
		public boolean isUserInRole(String role) {
			return this.role.equals(role);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Reservations {

		@Bean
		PortReservation tcpReservation() {
			return new PortablePortReservations().acquireRuntime(Protocol.TCP, 5);
		}

		@Bean(defaultCandidate = false)
		PortReservation udpReservation() {
			return new PortablePortReservations().acquireRuntime(Protocol.UDP, 2);
		}

	}

}
