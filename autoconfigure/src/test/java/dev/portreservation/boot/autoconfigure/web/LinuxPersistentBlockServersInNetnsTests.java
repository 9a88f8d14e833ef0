package dev.portreservation.boot.autoconfigure.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.net.httpserver.HttpServer;
import dev.portreservation.boot.autoconfigure.FailureAnalysisAssert;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Real servers on a persistent block of the Linux backend (the default on Linux), which
 * writes {@code ip_local_reserved_ports}. Runs only in the surefire execution
 * {@code netns-tests}, whose JVM lives in a private network namespace (see
 * {@code src/test/netns/bin/java}), so the host's setting is never touched.
 */
@EnabledOnOs(OS.LINUX)
@ExtendWith(OutputCaptureExtension.class)
@GuardTimeout(60)
class LinuxPersistentBlockServersInNetnsTests {

	private static final Path RESERVED_PORTS = Path.of("/proc/sys/net/ipv4/ip_local_reserved_ports");

	private static final String STATE_DIRECTORY = "portreservation.linux.state-directory";

	@TempDir
	static Path stateDirectory;

	@BeforeAll
	static void requirePrivateNetworkNamespace() throws IOException {
		String mode = System.getProperty("portreservation.test.netns");
		Assumptions.assumeTrue("private".equals(mode),
				() -> "Not in a private network namespace ("
						+ ((mode != null) ? System.getProperty("portreservation.test.netns.reason")
								: "not started by src/test/netns/bin/java")
						+ "): these tests write ip_local_reserved_ports");
		String own = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
		if (own.equals(System.getProperty("portreservation.test.host-netns"))) {
			throw new IllegalStateException(
					"Refusing to write ip_local_reserved_ports: still in the host's network namespace " + own);
		}
		System.setProperty(STATE_DIRECTORY, stateDirectory.toString());
	}

	@AfterAll
	static void restoreStateDirectory() {
		System.clearProperty(STATE_DIRECTORY);
	}

	@Test
	void twoApplicationsSharingAPersistentBlockGetDifferentPorts() throws Exception {
		String[] properties = { "portreservation.kind=persistent", "portreservation.start-port=40000",
				"portreservation.count=4", "portreservation.delete-on-shutdown=true" };
		try (RunningServer first = RunningServer.start(EmbeddedServer.TOMCAT, properties)) {
			try (RunningServer second = RunningServer.start(EmbeddedServer.NETTY, properties)) {
				assertThat(first.reservation().backend()).isEqualTo("linux");
				assertThat(first.reservation().createdByThisProcess()).isTrue();
				assertThat(second.reservation().createdByThisProcess()).isFalse();
				assertThat(reservedPorts()).contains("40000-40003");
				int firstPort = first.webServerPort();
				int secondPort = second.webServerPort();
				assertThat(firstPort).isBetween(40000, 40003).isNotEqualTo(secondPort);
				assertThat(secondPort).isBetween(40000, 40003);
				assertThat(first.get(firstPort, "/hello")).isEqualTo("200 hello");
				assertThat(second.get(secondPort, "/hello")).isEqualTo("200 hello");
			}
			// The second application found the block: it leaves it recorded.
			assertThat(reservedPorts()).contains("40000-40003");
		}
		// The first created it and asked for delete-on-shutdown.
		assertThat(reservedPorts()).doesNotContain("40000");
	}

	@Test
	void fullPersistentBlockFailsStartupAndLeavesNothingReserved() throws IOException {
		Throwable failure = catchThrowable(() -> RunningServer.start(EmbeddedServer.TOMCAT,
				"portreservation.kind=persistent", "portreservation.start-port=41000", "portreservation.count=1",
				"management.server.port=0", "management.server.address=127.0.0.1"));
		Throwable cause = failure;
		while (cause != null && !(cause instanceof PortReservationException)) {
			cause = cause.getCause();
		}
		assertThat(cause).isInstanceOfSatisfying(PortReservationException.class,
				(ex) -> assertThat(ex.getReason()).isEqualTo(Reason.EXHAUSTED));
		assertThat(FailureAnalysisAssert.analyzedByPortReservation(failure).getAction())
			.contains("Raise portreservation.count");
		assertThat(reservedPorts()).doesNotContain("41000");
	}

	@Test
	void aPersistentBlockCreatedByANamedPortWithoutServerIsDeletedOnShutdown(CapturedOutput output) throws IOException {
		try (ConfigurableApplicationContext context = RunningServer
			.builder(EmbeddedServer.TOMCAT, "portreservation.kind=persistent", "portreservation.start-port=42000",
					"portreservation.count=2", "portreservation.delete-on-shutdown=true", "server.port=-1",
					"mock.port=${portreservation.ports.mock}")
			.sources(NamedPortsTests.MockServerConfiguration.class)
			.run()) {
			assertThat(context.getBean(HttpServer.class).getAddress().getPort()).isBetween(42000, 42001);
			assertThat(reservedPorts()).contains("42000-42001");
		}
		assertThat(reservedPorts()).doesNotContain("42000");
		assertThat(output).contains("Reserved TCP block 42000-42001")
			.contains("Released TCP block 42000-42001")
			.contains("Deleted persistent TCP reservation 42000-42001")
			.doesNotContain("No port block reserved")
			.doesNotContain("the persistent record stays");
	}

	@Test
	void aPersistentBlockCreatedByANamedPortBeforeTheServerIsDeletedOnShutdown() throws Exception {
		try (RunningServer app = RunningServer.start(EmbeddedServer.TOMCAT,
				new Class<?>[] { NamedPortsTests.MockServerConfiguration.class }, "portreservation.kind=persistent",
				"portreservation.start-port=42100", "portreservation.count=2",
				"portreservation.delete-on-shutdown=true", "mock.port=${portreservation.ports.mock}")) {
			assertThat(app.get(app.webServerPort(), "/hello")).isEqualTo("200 hello");
			assertThat(reservedPorts()).contains("42100-42101");
		}
		assertThat(reservedPorts()).doesNotContain("42100");
	}

	@Test
	void aPersistentBlockCreatedByANamedPortIsDeletedWhenStartupFails() throws IOException {
		Throwable failure = catchThrowable(() -> RunningServer
			.builder(EmbeddedServer.TOMCAT, "portreservation.kind=persistent", "portreservation.start-port=42200",
					"portreservation.count=2", "server.port=-1", "mock.port=${portreservation.ports.mock}",
					"fail.port=${portreservation.ports.fail}", "third.port=${portreservation.ports.third}")
			.sources(ThreeNamedPorts.class)
			.run()
			.close());
		assertThat(failure).isNotNull();
		assertThat(reservedPorts()).doesNotContain("42200");
	}

	/**
	 * Asks for three named ports of a block of two: startup fails after the block was
	 * created.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ThreeNamedPorts {

		@Bean
		String ports(@Value("${mock.port}") int mock, @Value("${fail.port}") int fail,
				@Value("${third.port}") int third) {
			return mock + "," + fail + "," + third;
		}

	}

	// Files.readString trusts the size /proc reports (0) and can return a truncated
	// value: read to the end.
	private static String reservedPorts() throws IOException {
		try (InputStream in = Files.newInputStream(RESERVED_PORTS)) {
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
		}
	}

}
