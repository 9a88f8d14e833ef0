package dev.portreservation.boot.autoconfigure.web;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Issue 12.5: no idle block by surprise. A context in which nothing binds through the
 * block (no web server, {@code server.port=-1}) reserves nothing and says so; a bean that
 * injects the {@code PortReservation} gets its block. Each context here places its block
 * on a free range, and the test then reserves that very range itself while the context
 * runs: it succeeds only if the context holds nothing.
 */
@GuardTimeout(60)
@ExtendWith(OutputCaptureExtension.class)
class IdleBlockTests {

	private final PortReservations backend = PortReservations.forCurrentPlatform();

	enum Idle {

		NO_WEB_SERVER("spring.main.web-application-type=none"),

		SERVER_PORT_MINUS_ONE("server.port=-1"),

		SERVER_AND_MANAGEMENT_DISABLED("server.port=-1", "management.server.port=-1");

		private final String[] properties;

		Idle(String... properties) {
			this.properties = properties;
		}

	}

	@ParameterizedTest
	@EnumSource(Idle.class)
	void contextThatBindsNothingHoldsNoBlockAndSaysSo(Idle idle, CapturedOutput output) {
		PortBlock block = freeBlock();
		try (ConfigurableApplicationContext context = RunningServer
			.builder(EmbeddedServer.TOMCAT, "portreservation.start-port=" + block.startPort(),
					"portreservation.count=4")
			.properties(idle.properties)
			.run()) {
			assertThat(context.getBeanFactory().containsSingleton("portReservation")).isFalse();
			this.backend.acquireRuntime(Protocol.TCP, block).close();
			assertThat(output).contains("No port block reserved: nothing in this application binds through one");
			assertThat(output).doesNotContain("Reserved TCP block");
		}
	}

	@Test
	void beanThatInjectsTheReservationGetsTheBlockInAContextWithoutWebServer(CapturedOutput output) {
		PortBlock block = freeBlock();
		try (ConfigurableApplicationContext context = RunningServer
			.builder(EmbeddedServer.TOMCAT, "portreservation.start-port=" + block.startPort(),
					"portreservation.count=4")
			.sources(UsesTheBlock.class)
			.web(WebApplicationType.NONE)
			.run()) {
			assertThat(context.getBean(UsesTheBlock.class).reservation.block()).isEqualTo(block);
			assertThatExceptionOfType(RuntimeException.class)
				.isThrownBy(() -> this.backend.acquireRuntime(Protocol.TCP, block).close());
			assertThat(output).contains("Reserved TCP block " + block).doesNotContain("No port block reserved");
		}
		this.backend.acquireRuntime(Protocol.TCP, block).close();
	}

	@Test
	void webServerThatBindsThroughTheBlockHoldsIt() {
		PortBlock block = freeBlock();
		try (RunningServer server = RunningServer.start(EmbeddedServer.TOMCAT,
				"portreservation.start-port=" + block.startPort(), "portreservation.count=4")) {
			assertThat(server.reservation().block()).isEqualTo(block);
			assertThatExceptionOfType(RuntimeException.class)
				.isThrownBy(() -> this.backend.acquireRuntime(Protocol.TCP, block).close());
		}
	}

	private PortBlock freeBlock() {
		try (PortReservation probe = this.backend.acquireRuntime(Protocol.TCP, 4)) {
			return probe.block();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class UsesTheBlock {

		final PortReservation reservation;

		UsesTheBlock(PortReservation reservation) {
			this.reservation = reservation;
		}

	}

}
