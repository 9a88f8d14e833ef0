package dev.portreservation.boot.autoconfigure.condition;

import dev.portreservation.boot.autoconfigure.PortReservationAutoConfiguration;
import dev.portreservation.boot.autoconfigure.grpc.GrpcServerPortRule;
import dev.portreservation.boot.autoconfigure.grpc.PortReservationGrpcServerAutoConfiguration;
import dev.portreservation.boot.autoconfigure.rsocket.PortReservationRSocketServerAutoConfiguration;
import dev.portreservation.boot.autoconfigure.rsocket.RSocketServerPortReservationPostProcessor;
import dev.portreservation.core.PortReservation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConditionalOnServerHooks}: the one rule for when a server binds through the
 * block, on its own and on the server auto-configurations that carry it (the web server's
 * are in {@code PortReservationWebServerAutoConfigurationTests}).
 */
class ConditionalOnServerHooksTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Hooked.class);

	@Test
	void matchesWithAReservationBeanAndTheSwitchesUnset() {
		this.runner.withBean(PortReservation.class, () -> null).run((context) -> assertThat(context).hasBean("hook"));
	}

	@Test
	void matchesWithTheReservationBeanInAnAncestorContext() {
		new ApplicationContextRunner().withBean(PortReservation.class, () -> null)
			.run((parent) -> this.runner.withParent(parent).run((context) -> assertThat(context).hasBean("hook")));
	}

	@Test
	void doesNotMatchWithoutAReservationBean() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean("hook"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "portreservation.enabled", "portreservation.server.enabled" })
	void eachSwitchSetToFalseTurnsTheHooksOff(String property) {
		this.runner.withBean(PortReservation.class, () -> null)
			.withPropertyValues(property + "=false")
			.run((context) -> assertThat(context).doesNotHaveBean("hook"));
	}

	@Test
	void theRSocketAndGrpcHooksFollowTheServerSwitch() {
		ApplicationContextRunner servers = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PortReservationAutoConfiguration.class,
					PortReservationRSocketServerAutoConfiguration.class,
					PortReservationGrpcServerAutoConfiguration.class))
			.withPropertyValues("portreservation.backend=portable");
		servers.run((context) -> assertThat(context).hasSingleBean(RSocketServerPortReservationPostProcessor.class)
			.hasSingleBean(GrpcServerPortRule.class));
		servers.withPropertyValues("portreservation.server.enabled=false")
			.run((context) -> assertThat(context).hasBean("portReservation")
				.doesNotHaveBean(RSocketServerPortReservationPostProcessor.class)
				.doesNotHaveBean(GrpcServerPortRule.class));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnServerHooks
	static class Hooked {

		@Bean
		String hook() {
			return "hook";
		}

	}

}
