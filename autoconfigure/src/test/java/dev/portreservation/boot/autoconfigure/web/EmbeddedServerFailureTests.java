package dev.portreservation.boot.autoconfigure.web;

import dev.portreservation.boot.web.tomcat.ReservedHttp11NioProtocol;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.portable.PortablePortReservations;
import org.apache.coyote.http11.Http11Nio2Protocol;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.portreservation.boot.autoconfigure.FailureAnalysisAssert.analyzedByPortReservation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Real servers that must not start: each failure is explained by the failure analyzer and
 * leaves nothing reserved behind.
 */
@GuardTimeout(30)
class EmbeddedServerFailureTests {

	private final PortReservations backend = PortReservations.forCurrentPlatform();

	@Test
	void fullBlockFailsStartupAndReleasesTheBlock() {
		PortBlock block = freeBlock(1);
		Throwable failure = catchThrowable(
				() -> RunningServer.start(EmbeddedServer.TOMCAT, "portreservation.start-port=" + block.startPort(),
						"portreservation.count=1", "management.server.port=0", "management.server.address=127.0.0.1"));
		assertThat(RunningServer.reservationFailure(failure).getReason()).isEqualTo(Reason.EXHAUSTED);
		FailureAnalysis analysis = analyzedByPortReservation(failure);
		assertThat(analysis.getDescription()).contains("TCP " + block)
			.contains("EXHAUSTED")
			.contains("No free port of the block for 'management' (management.server.port)")
			.contains(block.startPort() + " 'server'");
		assertThat(analysis.getAction()).contains("Raise portreservation.count to at least 2");
		assertNothingReserved(block);
	}

	@Test
	void persistentBlockCreatedByAFailedStartupIsDeleted() {
		PortablePortReservations portable = new PortablePortReservations();
		PortBlock block = freeBlock(1);
		Throwable failure = catchThrowable(
				() -> RunningServer.start(EmbeddedServer.TOMCAT, "portreservation.backend=portable",
						"portreservation.kind=persistent", "portreservation.start-port=" + block.startPort(),
						"portreservation.count=1", "management.server.port=0", "management.server.address=127.0.0.1"));
		assertThat(RunningServer.reservationFailure(failure).getReason()).isEqualTo(Reason.EXHAUSTED);
		assertThat(portable.lookupPersistent(Protocol.TCP, block)).isEmpty();
	}

	@Test
	void serverPortOutsideTheBlockFailsStartup() {
		PortBlock block = freeBlock(2);
		int outside = block.endPort() + 1;
		Throwable failure = catchThrowable(
				() -> RunningServer.start(EmbeddedServer.NETTY, "portreservation.start-port=" + block.startPort(),
						"portreservation.count=2", "server.port=" + outside));
		PortReservationException cause = RunningServer.reservationFailure(failure);
		assertThat(cause.getReason()).isEqualTo(Reason.INVALID);
		FailureAnalysis analysis = analyzedByPortReservation(failure);
		assertThat(analysis.getDescription()).contains("server.port=" + outside)
			.contains("outside the reserved block " + block);
		assertThat(analysis.getAction())
			.contains("Set server.port to a port between " + block.startPort() + " and " + block.endPort());
		assertNothingReserved(block);
	}

	@Test
	void tomcatProtocolWithoutAHookFailsStartupInsteadOfBindingOutsideTheBlock() {
		FailureAnalysis analysis = unsupportedTomcatConfiguration(Nio2Protocol.class);
		assertThat(analysis.getDescription()).contains(Http11Nio2Protocol.class.getName());
		assertThat(analysis.getAction()).contains("Use Tomcat's NIO protocol")
			.contains("remove the custom protocol " + Http11Nio2Protocol.class.getName());
	}

	@Test
	void additionalConnectorWithAPlainProtocolFailsStartup() {
		FailureAnalysis analysis = unsupportedTomcatConfiguration(PlainAdditionalConnector.class);
		assertThat(analysis.getDescription()).contains("Additional Tomcat connector 1");
		assertThat(analysis.getAction()).contains(ReservedHttp11NioProtocol.class.getSimpleName() + ".newConnector()")
			.as("no custom protocol was set on the main connector")
			.doesNotContain("remove the custom protocol");
	}

	/**
	 * Starts Tomcat on a block of two with a configuration the block cannot serve.
	 * @param configuration the configuration
	 * @return the analysis of the startup failure, which was an UNSUPPORTED one and left
	 * nothing reserved
	 */
	private FailureAnalysis unsupportedTomcatConfiguration(Class<?> configuration) {
		PortBlock block = freeBlock(2);
		Throwable failure = catchThrowable(() -> RunningServer
			.builder(EmbeddedServer.TOMCAT, "portreservation.start-port=" + block.startPort(),
					"portreservation.count=2")
			.sources(configuration)
			.run());
		assertThat(RunningServer.reservationFailure(failure).getReason()).isEqualTo(Reason.UNSUPPORTED);
		assertNothingReserved(block);
		return analyzedByPortReservation(failure);
	}

	private PortBlock freeBlock(int count) {
		try (PortReservation probe = this.backend.acquireRuntime(Protocol.TCP, count)) {
			return probe.block();
		}
	}

	/** The block can be reserved again: the failed application gave it back. */
	private void assertNothingReserved(PortBlock block) {
		try (PortReservation again = this.backend.acquireRuntime(Protocol.TCP, block)) {
			assertThat(again.block()).isEqualTo(block);
			assertThat(again.leases()).isEmpty();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Nio2Protocol {

		@Bean
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> nio2() {
			return (factory) -> factory.setProtocol(Http11Nio2Protocol.class.getName());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PlainAdditionalConnector {

		@Bean
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> plainConnector() {
			return (factory) -> {
				org.apache.catalina.connector.Connector connector = new org.apache.catalina.connector.Connector();
				connector.setPort(0);
				factory.addAdditionalConnectors(connector);
			};
		}

	}

}
