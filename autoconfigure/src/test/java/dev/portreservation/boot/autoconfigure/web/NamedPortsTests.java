package dev.portreservation.boot.autoconfigure.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import dev.portreservation.boot.namedports.NamedPorts;
import dev.portreservation.core.LoopbackHttp;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.test.GuardTimeout;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@code ${portreservation.ports.<name>}} in a real Tomcat application: a third-party
 * server (the JDK's {@link HttpServer}) configured only with a port number listens on a
 * port of the application's block.
 */
@GuardTimeout(60)
class NamedPortsTests {

	@Test
	void aNamedPortIsADistinctStablePortOfTheApplicationsBlockAndShowsAsALease() throws Exception {
		try (RunningServer app = RunningServer.start(EmbeddedServer.TOMCAT,
				new Class<?>[] { MockServerConfiguration.class, EarlyResolution.class }, "portreservation.count=4",
				"mock.port=${portreservation.ports.mock}", "management.endpoints.web.exposure.include=*")) {
			ConfigurableApplicationContext context = app.context();
			PortReservation reservation = app.reservation();
			PortBlock block = reservation.block();
			Environment environment = context.getEnvironment();
			int mockPort = context.getBean(HttpServer.class).getAddress().getPort();
			int serverPort = app.webServerPort();
			int earlyPort = context.getBean(EarlyResolution.class).port;
			assertThat(List.of(mockPort, serverPort, earlyPort)).allMatch(block::contains).doesNotHaveDuplicates();
			assertThat(environment.getProperty("portreservation.ports.mock", Integer.class)).isEqualTo(mockPort);
			assertThat(environment.getProperty("portreservation.ports.early", Integer.class)).isEqualTo(earlyPort);
			// One block: the name resolved before any bean existed was lent from the
			// bean's reservation.
			assertThat(context.getBean(NamedPorts.class).reservation()).isSameAs(reservation);
			// After startup a new name is not lent (a read never lends; see
			// NamedPortReadsTests): code lends from the bean.
			assertThat(environment.resolvePlaceholders("${portreservation.ports.late:none}")).isEqualTo("none");
			int latePort = reservation.lend("late").port();
			assertThat(reservation.leases()).extracting(PortLease::port, PortLease::owner)
				.containsExactlyInAnyOrder(tuple(serverPort, "server"), tuple(mockPort, "mock"),
						tuple(earlyPort, "early"), tuple(latePort, "late"));
			assertThat(app.get(mockPort, "/")).isEqualTo("200 mock");
			String endpoint = app.get(serverPort, "/actuator/portreservations");
			assertThat(endpoint).contains("\"port\":" + mockPort + ",\"owner\":\"mock\",\"ownerType\":\"application\"")
				.contains("\"owner\":\"early\"");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("portreservation.ports.used").gauge().value()).isEqualTo(4);
		}
	}

	@Test
	void everyPortOfTheBlockIsFreeAgainAfterTheContextCloses() throws Exception {
		PortBlock block;
		try (RunningServer app = RunningServer.start(EmbeddedServer.TOMCAT,
				new Class<?>[] { MockServerConfiguration.class }, "portreservation.count=2",
				"mock.port=${portreservation.ports.mock}")) {
			block = app.reservation().block();
			assertThat(app.reservation().portsFree()).isZero();
		}
		for (int port = block.startPort(); port <= block.endPort(); port++) {
			int free = port;
			assertThatNoException().as("port %d", port).isThrownBy(() -> {
				try (ServerSocketChannel channel = ServerSocketChannel.open()) {
					channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), free));
				}
			});
		}
	}

	@Test
	void aNamedPortNeverTakesThePortAServerPropertyAsksFor() throws Exception {
		// server.port places the block at its first port, and a name resolved while the
		// configuration is read comes first: it must leave that port to the server.
		PortBlock free;
		try (PortReservation probe = PortReservations.forCurrentPlatform().acquireRuntime(Protocol.TCP, 4)) {
			free = probe.block();
		}
		try (RunningServer app = RunningServer.start(EmbeddedServer.TOMCAT,
				new Class<?>[] { MockServerConfiguration.class, EarlyResolution.class }, "portreservation.count=4",
				"server.port=" + free.startPort(), "mock.port=${portreservation.ports.mock}")) {
			assertThat(app.webServerPort()).isEqualTo(free.startPort());
			assertThat(app.reservation().block()).isEqualTo(free);
			int mockPort = app.context().getBean(HttpServer.class).getAddress().getPort();
			int earlyPort = app.context().getBean(EarlyResolution.class).port;
			assertThat(List.of(mockPort, earlyPort)).allMatch(free::contains).doesNotContain(free.startPort());
		}
	}

	@Test
	void namedPortsNeedTheStarterSwitchedOn() {
		SpringApplication application = RunningServer
			.builder(EmbeddedServer.TOMCAT, "portreservation.enabled=false", "mock.port=${portreservation.ports.mock}")
			.sources(MockServerConfiguration.class)
			.build();
		assertThatExceptionOfType(Exception.class).isThrownBy(application::run)
			.satisfies((ex) -> assertThat(rootMessage(ex)).contains("portreservation.enabled=false"));
	}

	private static String rootMessage(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause.getMessage();
	}

	@Configuration(proxyBeanMethods = false)
	static class MockServerConfiguration {

		// A third-party server that takes a port number, like WireMock or a mock SMTP
		// server.
		@Bean(destroyMethod = "")
		HttpServer mockServer(@Value("${mock.port}") int port) throws IOException {
			return LoopbackHttp.serve(port, "mock");
		}

		@Bean
		AutoCloseable mockServerStopper(HttpServer mockServer) {
			return () -> mockServer.stop(0);
		}

	}

	/**
	 * Resolves a named port before any bean exists, while bean definitions are
	 * post-processed.
	 */
	@Configuration(proxyBeanMethods = false)
	static class EarlyResolution {

		static volatile int resolved;

		final int port = resolved;

		@Bean
		static BeanFactoryPostProcessor earlyNamedPort(Environment environment) {
			return (beanFactory) -> resolved = Integer
				.parseInt(environment.resolveRequiredPlaceholders("${portreservation.ports.early}"));
		}

	}

}
