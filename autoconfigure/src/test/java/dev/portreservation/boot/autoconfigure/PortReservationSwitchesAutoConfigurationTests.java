package dev.portreservation.boot.autoconfigure;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class PortReservationSwitchesAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PortReservationSwitchesAutoConfiguration.class));

	@Test
	void acceptsMissingSwitches() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(PortReservationSwitchesAutoConfiguration.class));
	}

	@ParameterizedTest
	@ValueSource(strings = { "portreservation.enabled", "portreservation.server.enabled",
			"portreservation.metrics.enabled" })
	void acceptsBooleans(String name) {
		this.runner.withPropertyValues(name + "=false").run((context) -> assertThat(context).hasNotFailed());
		this.runner.withPropertyValues(name + "=TRUE").run((context) -> assertThat(context).hasNotFailed());
	}

	@ParameterizedTest
	@ValueSource(strings = { "portreservation.enabled", "portreservation.server.enabled",
			"portreservation.metrics.enabled" })
	void rejectsAnythingElseNamingTheProperty(String name) {
		this.runner.withPropertyValues(name + "=ture").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("ture");
			BindException bind = findBindException(context.getStartupFailure());
			assertThat(bind.getName()).hasToString(name);
		});
	}

	private static BindException findBindException(Throwable failure) {
		Throwable candidate = failure;
		while (candidate != null && !(candidate instanceof BindException)) {
			candidate = candidate.getCause();
		}
		assertThat(candidate).isInstanceOf(BindException.class);
		return (BindException) candidate;
	}

}
