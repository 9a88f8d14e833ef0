package dev.portreservation.boot.autoconfigure;

import dev.portreservation.boot.reservation.PortReservationLifecycle;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.portable.PortablePortReservations;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One entry point decides when and how the block is reserved, whether a named port
 * ({@code ${portreservation.ports.<name>}}) or the {@code PortReservation} bean asks
 * first: the same backend (a user's {@link PortReservations} bean where one is defined)
 * and the same placement (by the context's type, not by a property that may be unset).
 */
class BlockEntryPointTests {

	// Below the ephemeral range, where a block the operating system chooses lies.
	private static final int SERVER_PORT = 20000 + (int) (ProcessHandle.current().pid() % 5000);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withInitializer(new NamedPortsInitializer())
		.withConfiguration(AutoConfigurations.of(PortReservationAutoConfiguration.class))
		.withPropertyValues("portreservation.count=4");

	@Test
	void aNamedPortIsLentFromTheUsersBackendBean() {
		// No portreservation.backend: the platform's backend would be created from the
		// properties; the user's bean must win, as it does for the bean path.
		this.runner.withUserConfiguration(UsersBackend.class, UsesNamedPort.class).run((context) -> {
			assertThat(context).hasNotFailed();
			PortReservation reservation = context.getBean(PortReservation.class);
			assertThat(reservation.backend()).isEqualTo("portable");
			assertThat(context.getBean(UsesNamedPort.class).port).matches(reservation.block()::contains);
			assertThat(context.getBean(PortReservationLifecycle.class).getReservation()).isSameAs(reservation);
		});
	}

	@Test
	void aNamedPortResolvedBeforeAnyBeanIsDefinedFailsWhenTheUsersBackendBeanComesLater() {
		// Resolved while the context is being prepared: no bean is defined yet, so the
		// block comes from the backend portreservation.* describes; a user's backend bean
		// defined afterwards cannot have it, and the context says so instead of holding
		// the block through another backend than the user's.
		this.runner
			.withInitializer(
					(context) -> context.getEnvironment().resolvePlaceholders("${portreservation.ports.early}"))
			.withUserConfiguration(UsersBackend.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
					.hasMessageContaining("${portreservation.ports.early}")
					.hasMessageContaining("PortReservations bean 'usersBackend'");
			});
	}

	@Test
	void aNamedPortResolvedBeforeAnyBeanIsDefinedSharesTheBackendOfTheBean() {
		this.runner.withPropertyValues("portreservation.backend=portable")
			.withInitializer(
					(context) -> context.getEnvironment().resolvePlaceholders("${portreservation.ports.early}"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(PortReservationLifecycle.class).getReservation())
					.isSameAs(context.getBean(PortReservation.class));
				assertThat(context.getBean(PortReservation.class).backend()).isEqualTo("portable");
			});
	}

	@Test
	void aNamedPortPlacesTheBlockAsTheBeanDoesInAContextWithoutAWebServer() {
		// No embedded server binds through the block here: server.port does not place it,
		// whether the bean or a named port reserves it (spring.main.web-application-type
		// is unset, as it is for most applications).
		ApplicationContextRunner nonWeb = this.runner.withPropertyValues("portreservation.backend=portable",
				"server.port=" + SERVER_PORT);
		nonWeb.withUserConfiguration(UsesReservation.class)
			.run((context) -> assertThat(context.getBean(PortReservation.class).block().contains(SERVER_PORT))
				.as("block of the bean path")
				.isFalse());
		nonWeb.withUserConfiguration(UsesNamedPort.class)
			.run((context) -> assertThat(context.getBean(PortReservation.class).block().contains(SERVER_PORT))
				.as("block of the named-port path")
				.isFalse());
	}

	@Configuration(proxyBeanMethods = false)
	static class UsersBackend {

		@Bean
		PortReservations usersBackend() {
			return new PortablePortReservations();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UsesNamedPort {

		@Value("${portreservation.ports.web}")
		int port;

	}

	@Configuration(proxyBeanMethods = false)
	static class UsesReservation {

		@Bean
		String blockUser(PortReservation reservation) {
			return reservation.block().toString();
		}

	}

}
