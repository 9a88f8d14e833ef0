package dev.portreservation.boot.autoconfigure.web;

import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Issue 16.9 / Deliver 7 (Spring side): a block a named port reserved (no server:
 * {@code server.port=-1}) belongs to the starter's lifecycle like the bean's: the log
 * says it was reserved and released, never "No port block reserved", and the block is
 * free after the close. The persistent case (delete-on-shutdown) is in
 * {@link LinuxPersistentBlockServersInNetnsTests}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
class NamedPortLifecycleTests {

	@Test
	void aBlockReservedByANamedPortWithoutServerIsReleasedByTheLifecycleAndLoggedAsHeld(CapturedOutput output) {
		PortBlock block = freeBlock();
		try (ConfigurableApplicationContext context = RunningServer
			.builder(EmbeddedServer.TOMCAT, "portreservation.start-port=" + block.startPort(),
					"portreservation.count=4", "server.port=-1", "mock.port=${portreservation.ports.mock}")
			.sources(NamedPortsTests.MockServerConfiguration.class)
			.run()) {
			assertThat(context.getBean(HttpServer.class).getAddress().getPort()).isEqualTo(block.startPort());
			assertThatExceptionOfType(RuntimeException.class).as("the block is held while the context runs")
				.isThrownBy(() -> PortReservations.forCurrentPlatform().acquireRuntime(Protocol.TCP, block).close());
			assertThat(output).contains("Reserved TCP block " + block).doesNotContain("No port block reserved");
		}
		assertThat(output).contains("Released TCP block " + block);
		PortReservations.forCurrentPlatform().acquireRuntime(Protocol.TCP, block).close();
	}

	@Test
	void aBlockReservedByANamedPortAndUsedByTheServerIsReleasedOnce(CapturedOutput output) throws Exception {
		PortBlock block = freeBlock();
		try (RunningServer app = RunningServer.start(EmbeddedServer.TOMCAT,
				new Class<?>[] { NamedPortsTests.MockServerConfiguration.class },
				"portreservation.start-port=" + block.startPort(), "portreservation.count=4",
				"mock.port=${portreservation.ports.mock}")) {
			assertThat(app.reservation().block()).isEqualTo(block);
			assertThat(app.get(app.webServerPort(), "/hello")).isEqualTo("200 hello");
		}
		assertThat(output.toString().split("Released TCP block " + block, -1)).hasSize(2);
		PortReservations.forCurrentPlatform().acquireRuntime(Protocol.TCP, block).close();
	}

	private static PortBlock freeBlock() {
		try (PortReservation probe = PortReservations.forCurrentPlatform().acquireRuntime(Protocol.TCP, 4)) {
			return probe.block();
		}
	}

}
