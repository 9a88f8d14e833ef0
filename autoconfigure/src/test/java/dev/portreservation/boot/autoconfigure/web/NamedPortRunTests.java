package dev.portreservation.boot.autoconfigure.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.linux.Attacker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Issue 19.7: a named run of N ports. {@code ${portreservation.ports.<name>[N]}} resolves
 * to {@code first-last}, a run of N consecutive ports of the block lent under one name
 * ({@code .first} / {@code .last} for components that take the two ends apart), for a
 * component that needs several ports (FTP passive ports, acceptors). Real JDK servers
 * listen on every port of the run, and another real Unix user tries every port of it.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NamedPortRunTests {

	/** The other Unix user of the Spring tests' socket attacks. */
	private static final String STRANGER = "prh3a";

	private static final String[] ADDRESSES = { "127.0.0.1", "::1", "0.0.0.0", "::" };

	private static final String[] KINDS = { "tcp", "tcp-listen" };

	@Test
	void aRunIsConsecutivePortsOfTheBlockLentUnderOneNameAndNoOtherUserGetsOne() throws Exception {
		try (RunningServer app = RunningServer.start(EmbeddedServer.TOMCAT,
				new Class<?>[] { PassivePorts.class, NamedPortsTests.MockServerConfiguration.class },
				"portreservation.count=8", "ftp.passive-ports=${portreservation.ports.ftp-passive[4]}",
				"ftp.first=${portreservation.ports.ftp-passive[4].first}",
				"ftp.last=${portreservation.ports.ftp-passive[4].last}", "mock.port=${portreservation.ports.mock}")) {
			PortBlock block = app.reservation().block();
			PassivePorts passive = app.context().getBean(PassivePorts.class);
			List<Integer> run = passive.ports;
			assertThat(run).hasSize(4).allMatch(block::contains);
			for (int i = 1; i < run.size(); i++) {
				assertThat(run.get(i)).isEqualTo(run.get(0) + i);
			}
			assertThat(passive.range).isEqualTo(run.get(0) + "-" + run.get(3));
			assertThat(app.reservation().leases()).filteredOn((lease) -> lease.owner().equals("ftp-passive"))
				.extracting(PortLease::port)
				.containsExactlyElementsOf(run);
			int mockPort = app.context().getBean(HttpServer.class).getAddress().getPort();
			assertThat(List.of(mockPort, app.webServerPort())).doesNotContainAnyElementsOf(run);
			for (int port : run) {
				assertThat(app.get(port, "/")).isEqualTo("200 passive " + port);
			}
			assertThat(app.context().getEnvironment().getProperty("portreservation.ports.ftp-passive[4]"))
				.isEqualTo(passive.range);
			int attempts = 0;
			List<String> successes = new ArrayList<>();
			try (Attacker stranger = Attacker.otherUser(STRANGER)) {
				for (int port : run) {
					for (String address : ADDRESSES) {
						for (String kind : KINDS) {
							for (int options = 0; options < 4; options++) {
								attempts++;
								if (stranger.bind(kind, address, port, (options & 1) != 0, (options & 2) != 0)) {
									successes.add(kind + " " + address + ":" + port + " options " + options);
									stranger.closeSockets();
								}
							}
						}
					}
				}
			}
			System.out.println("Named run under attack by another user: " + successes.size() + " of " + attempts
					+ " binds succeeded: " + successes);
			// Every address of every port of the run, including those the components do
			// not listen on ([::1] beside components on 127.0.0.1): nothing.
			assertThat(successes).as("binds by another user on the run's ports (of %d)", attempts).isEmpty();
		}
	}

	@Test
	void referencesToOneRunMustAskForTheSameCount() {
		Throwable failure = catchThrowable(() -> RunningServer
			.builder(EmbeddedServer.TOMCAT, "portreservation.count=8",
					"ftp.passive-ports=${portreservation.ports.ftp-passive[4]}",
					"ftp.first=${portreservation.ports.ftp-passive[3].first}",
					"ftp.last=${portreservation.ports.ftp-passive[4].last}")
			.web(WebApplicationType.NONE)
			.sources(PassivePorts.class)
			.run()
			.close());
		assertThat(rootMessage(failure)).contains(
				"portreservation.ports.ftp-passive[3].first asks for a run of 3 ports, but portreservation.ports.ftp-passive was lent as a run of 4");
	}

	@Test
	void aRunLargerThanTheFreePortsFailsStartup() {
		Throwable failure = catchThrowable(() -> RunningServer
			.builder(EmbeddedServer.TOMCAT, "portreservation.count=4", "mock.port=${portreservation.ports.mock}",
					"ftp.passive-ports=${portreservation.ports.ftp-passive[4]}",
					"ftp.first=${portreservation.ports.ftp-passive[4].first}",
					"ftp.last=${portreservation.ports.ftp-passive[4].last}")
			.web(WebApplicationType.NONE)
			.sources(NamedPortsTests.MockServerConfiguration.class, PassivePorts.class)
			.run()
			.close());
		Throwable cause = failure;
		while (cause != null && !(cause instanceof PortReservationException)) {
			cause = cause.getCause();
		}
		assertThat(cause).isInstanceOfSatisfying(PortReservationException.class,
				(ex) -> assertThat(ex.getReason()).isEqualTo(Reason.EXHAUSTED));
		assertThat(cause.getMessage()).contains("No run of 4 consecutive free ports");
	}

	private static String rootMessage(Throwable failure) {
		assertThat(failure).isNotNull();
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

	/** Like FTP passive ports: a range of ports, each served by the component itself. */
	@Configuration(proxyBeanMethods = false)
	static class PassivePorts {

		final List<Integer> ports = new ArrayList<>();

		String range;

		@Bean
		Object passiveServers(@Value("${ftp.passive-ports}") String range, @Value("${ftp.first}") int first,
				@Value("${ftp.last}") int last) throws IOException {
			this.range = range;
			List<HttpServer> servers = new ArrayList<>();
			for (int port = first; port <= last; port++) {
				HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
				byte[] body = ("passive " + port).getBytes(StandardCharsets.UTF_8);
				server.createContext("/", (exchange) -> {
					exchange.sendResponseHeaders(200, body.length);
					exchange.getResponseBody().write(body);
					exchange.close();
				});
				server.start();
				servers.add(server);
				this.ports.add(port);
			}
			return (AutoCloseable) () -> servers.forEach((server) -> server.stop(0));
		}

	}

}
