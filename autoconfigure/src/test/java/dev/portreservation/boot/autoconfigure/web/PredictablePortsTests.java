package dev.portreservation.boot.autoconfigure.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.portreservation.boot.autoconfigure.FailureAnalysisAssert;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Issue 12.1: ports a new user can predict. A positive {@code server.port} (or
 * {@code SERVER_PORT}) without {@code portreservation.start-port} places the block there;
 * a management server on the block's first port works with {@code server.port} unset; and
 * every port-related failure names a property and a value that, set on the next start,
 * makes the application start.
 */
@GuardTimeout(60)
class PredictablePortsTests {

	private static final int COUNT = 4;

	private final PortReservations backend = PortReservations.forCurrentPlatform();

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "server.port property", "SERVER_PORT environment variable" })
	void serverPortWithoutStartPortPlacesTheBlockAtThatPort(String how) throws Exception {
		PortBlock free = freeBlock(COUNT);
		int port = free.startPort();
		SpringApplicationBuilder builder;
		if (how.startsWith("SERVER_PORT")) {
			StandardEnvironment environment = new StandardEnvironment();
			environment.getPropertySources()
				.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
								Map.of("SERVER_PORT", String.valueOf(port))));
			builder = RunningServer.builder(EmbeddedServer.TOMCAT, "portreservation.count=" + COUNT)
				.environment(environment);
		}
		else {
			builder = RunningServer.builder(EmbeddedServer.TOMCAT, "portreservation.count=" + COUNT,
					"server.port=" + port);
		}
		try (var context = builder.run()) {
			PortReservation reservation = context.getBean(PortReservation.class);
			assertThat(reservation.block()).isEqualTo(new PortBlock(port, COUNT));
			assertThat(context.getEnvironment().getProperty("local.server.port", Integer.class)).isEqualTo(port);
			assertThat(reservation.leases()).extracting(PortLease::port, PortLease::owner)
				.containsExactly(tuple(port, "server"));
		}
	}

	@Test
	void managementServerOnTheBlocksFirstPortWithServerPortUnsetGetsThatPort() throws Exception {
		PortBlock block = freeBlock(COUNT);
		try (RunningServer server = RunningServer.start(EmbeddedServer.TOMCAT,
				"portreservation.start-port=" + block.startPort(), "portreservation.count=" + COUNT,
				"management.server.port=" + block.startPort(), "management.server.address=127.0.0.1")) {
			int management = server.localManagementPort();
			assertThat(management).isEqualTo(block.startPort());
			assertThat(server.webServerPort()).isNotEqualTo(block.startPort())
				.satisfies((port) -> assertThat(block.contains(port)).isTrue());
			assertThat(server.get(management, "/actuator/health")).startsWith("200 ");
			assertThat(server.get(server.webServerPort(), "/hello")).isEqualTo("200 hello");
		}
	}

	// server.port=65534 is no failure: plain Boot starts there, and so does the block
	// around it (ServerPortNeighboursTests).
	static Stream<PortFailure> portFailures() {
		return Stream.of(
				new PortFailure("server.port taken by another socket", "server.port", "BUSY", "server.port=BUSY"),
				new PortFailure("start-port taken by another socket", "portreservation.start-port", "BUSY",
						"portreservation.start-port=BUSY"),
				new PortFailure("management.server.port outside a block the OS picked", "management.server.port", null,
						"management.server.port=FREE", "management.server.address=127.0.0.1"),
				new PortFailure("server.port outside the configured block", "server.port", null,
						"portreservation.start-port=FREE", "server.port=OUTSIDE"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("portFailures")
	void everyPortFailureNamesAPropertyAndAValueThatWorksOnTheNextStart(PortFailure row) throws Exception {
		PortBlock free = freeBlock(COUNT);
		try (ServerSocketChannel stranger = ServerSocketChannel.open()) {
			if (row.busy() != null) {
				stranger.bind(new InetSocketAddress("127.0.0.1", free.startPort()));
			}
			List<String> properties = row.properties(free);
			Throwable failure = catchThrowable(
					() -> RunningServer.start(EmbeddedServer.TOMCAT, properties.toArray(String[]::new)).close());
			assertThat(failure).as("startup must fail").isNotNull();
			FailureAnalysis analysis = FailureAnalysisAssert.analyzedByPortReservation(failure);
			assertThat(analysis.getDescription() + analysis.getAction()).contains(row.property());
			String fix = suggestedSetting(analysis.getAction());
			assertThat(fix).as("a property=value in: %s", analysis.getAction()).isNotNull();
			List<String> next = new ArrayList<>(properties);
			String fixedProperty = fix.substring(0, fix.indexOf('='));
			next.removeIf((setting) -> setting.startsWith(fixedProperty + "="));
			next.add(fix);
			try (RunningServer server = RunningServer.start(EmbeddedServer.TOMCAT, next.toArray(String[]::new))) {
				assertThat(server.get(server.webServerPort(), "/hello")).isEqualTo("200 hello");
			}
		}
	}

	/**
	 * The first {@code property=value} the advice names, or its "a port between A and B"
	 * for a property.
	 */
	private static String suggestedSetting(String action) {
		Matcher setting = Pattern.compile("((?:server|management\\.server|portreservation)\\.[a-z.-]*port)=(\\d+)")
			.matcher(action);
		if (setting.find()) {
			return setting.group(1) + "=" + setting.group(2);
		}
		Matcher range = Pattern.compile("Set ([a-z.-]+) to a port between (\\d+)").matcher(action);
		return range.find() ? range.group(1) + "=" + range.group(2) : null;
	}

	private PortBlock freeBlock(int count) {
		try (PortReservation probe = this.backend.acquireRuntime(Protocol.TCP, count)) {
			return probe.block();
		}
	}

	record PortFailure(String name, String property, String busy, String... settings) {

		List<String> properties(PortBlock free) {
			List<String> all = new ArrayList<>(List.of("portreservation.count=" + COUNT));
			for (String setting : this.settings) {
				all.add(setting.replace("=BUSY", "=" + free.startPort())
					.replace("=FREE", "=" + free.startPort())
					.replace("=OUTSIDE", "=" + (free.endPort() + 1)));
			}
			return all;
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
