package dev.portreservation.boot.autoconfigure.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.portreservation.boot.autoconfigure.FailureAnalysisAssert;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Issue 16.8 / Deliver 6: named-port input. A named port in a property that places the
 * block or names a server's port fails startup naming both properties (it was a
 * StackOverflowError reported as "Failed to process import candidates"); a
 * {@code portreservation.ports.<name>} set by the user fails naming it (it silently
 * replaced the lent port); and nothing is left reserved afterwards.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NamedPortInputTests {

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "server.port", "portreservation.start-port", "portreservation.count",
			"management.server.port" })
	void aNamedPortInAPropertyThatPlacesTheBlockOrAServerPortFailsNamingBoth(String property) {
		PortBlock free = freeBlock();
		Throwable failure = catchThrowable(() -> RunningServer
			.builder(EmbeddedServer.TOMCAT, "portreservation.start-port=" + free.startPort(), "portreservation.count=4",
					property + "=${portreservation.ports.web}")
			.properties(property.startsWith("management.") ? "management.server.address=127.0.0.1" : "x=y")
			.run()
			.close());
		assertThat(failure).isNotNull();
		FailureAnalysis analysis = FailureAnalysisAssert.analyze(failure);
		assertThat(analysis.getDescription()).contains("'" + property + "'")
			.contains("${portreservation.ports.web}")
			.contains("portreservation.ports.web");
		assertThat(analysis.getAction()).contains(property);
		assertNothingReserved(free);
	}

	@Test
	void aNamedPortInServerPortPlacingTheBlockFailsNamingBoth() {
		// No start-port: server.port would place the block, whose reservation resolves
		// server.port again (the reported StackOverflowError).
		Throwable failure = catchThrowable(() -> RunningServer
			.builder(EmbeddedServer.TOMCAT, "portreservation.count=4", "server.port=${portreservation.ports.web}")
			.run()
			.close());
		assertThat(failure).isNotNull();
		FailureAnalysis analysis = FailureAnalysisAssert.analyze(failure);
		assertThat(analysis.getDescription()).startsWith("Invalid configuration property 'server.port': refers to "
				+ "the named port portreservation.ports.web, but named ports are lent from the block that "
				+ "server.port decides, so it cannot depend on one");
		assertThat(analysis.getAction())
			.startsWith("Set server.port to a value of its own (0 takes any free port of the block)");
	}

	@Test
	void aNamedPortSetOnTheCommandLineFailsNamingIt() {
		PortBlock free = freeBlock();
		Throwable failure = catchThrowable(() -> RunningServer
			.builder(EmbeddedServer.TOMCAT, "portreservation.start-port=" + free.startPort(), "portreservation.count=4",
					"partner.port=${portreservation.ports.partner}")
			.run("--portreservation.ports.partner=5000")
			.close());
		assertThat(failure).isNotNull();
		FailureAnalysis analysis = FailureAnalysisAssert.analyze(failure);
		assertThat(analysis.getDescription())
			.startsWith("Invalid configuration property 'portreservation.ports.partner': is set, but a named port "
					+ "is lent from the block");
		assertThat(analysis.getDescription()).contains("\"5000\"");
		assertThat(analysis.getAction()).contains("Remove portreservation.ports.partner");
		assertNothingReserved(free);
	}

	@Test
	void aNamedPortSetAsAnEnvironmentVariableFailsNamingIt() {
		PortBlock free = freeBlock();
		SpringApplication application = RunningServer
			.builder(EmbeddedServer.TOMCAT, "portreservation.start-port=" + free.startPort(), "portreservation.count=4",
					"partner.port=${portreservation.ports.partner}")
			.build();
		StandardEnvironment environment = new StandardEnvironment();
		Map<String, Object> variables = new LinkedHashMap<>(System.getenv());
		variables.put("PORTRESERVATION_PORTS_PARTNER", "5000");
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		application.setEnvironment(environment);
		Throwable failure = catchThrowable(() -> application.run().close());
		assertThat(failure).isNotNull();
		FailureAnalysis analysis = FailureAnalysisAssert.analyze(failure);
		assertThat(analysis.getDescription())
			.startsWith("Invalid configuration property 'PORTRESERVATION_PORTS_PARTNER': is set, but a named port "
					+ "is lent from the block");
		assertNothingReserved(free);
	}

	private static PortBlock freeBlock() {
		try (PortReservation probe = PortReservations.forCurrentPlatform().acquireRuntime(Protocol.TCP, 4)) {
			return probe.block();
		}
	}

	private static void assertNothingReserved(PortBlock block) {
		PortReservations.forCurrentPlatform().acquireRuntime(Protocol.TCP, block).close();
	}

}
