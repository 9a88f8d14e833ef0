package dev.portreservation.boot.autoconfigure.web;

import java.lang.reflect.Method;
import java.net.URL;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;

import org.springframework.boot.devtools.restart.classloader.RestartClassLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Issue 12.1: a devtools restart keeps the application on the same block and port.
 * Devtools closes the context and starts a new one in the same JVM, with the
 * application's classes in a new {@link RestartClassLoader}; these tests do the same with
 * devtools' own class loader, several times in one JVM.
 */
@GuardTimeout(60)
class DevtoolsRestartTests {

	private final PortReservations backend = PortReservations.forCurrentPlatform();

	@AfterEach
	void releaseKeptBlocks() throws Exception {
		// What the JVM's exit does for an application under devtools.
		Method releaseAll = Class.forName("dev.portreservation.boot.reservation.RetainedBlocks")
			.getDeclaredMethod("releaseAll");
		releaseAll.setAccessible(true);
		releaseAll.invoke(null);
	}

	@Test
	void restartedContextGetsTheSameBlockAndPortAndTheBlockIsHeldInBetween() throws Exception {
		PortBlock block;
		int port;
		try (ConfigurableApplicationContext first = startUnderRestartClassLoader("portreservation.count=4")) {
			block = first.getBean(PortReservation.class).block();
			port = localPort(first);
		}
		// Between the contexts, as during a restart, the block stays held: no other
		// reservation gets it.
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.acquireRuntime(Protocol.TCP, block).close());
		for (int restart = 1; restart <= 3; restart++) {
			try (ConfigurableApplicationContext next = startUnderRestartClassLoader("portreservation.count=4")) {
				assertThat(next.getBean(PortReservation.class).block()).as("block after restart %d", restart)
					.isEqualTo(block);
				assertThat(localPort(next)).as("port after restart %d", restart).isEqualTo(port);
				assertThat(RunningServer.of(next).get(port, "/hello")).isEqualTo("200 hello");
			}
		}
	}

	@Test
	void changedConfigurationReleasesTheKeptBlock() {
		PortBlock block;
		try (ConfigurableApplicationContext first = startUnderRestartClassLoader("portreservation.count=4")) {
			block = first.getBean(PortReservation.class).block();
		}
		try (ConfigurableApplicationContext changed = startUnderRestartClassLoader("portreservation.count=5")) {
			assertThat(changed.getBean(PortReservation.class).block().count()).isEqualTo(5);
			this.backend.acquireRuntime(Protocol.TCP, block).close();
		}
	}

	@Test
	void withoutDevtoolsClosingTheContextReleasesTheBlock() {
		PortBlock block;
		try (RunningServer server = RunningServer.start(EmbeddedServer.TOMCAT, "portreservation.count=4")) {
			block = server.reservation().block();
		}
		this.backend.acquireRuntime(Protocol.TCP, block).close();
	}

	private static ConfigurableApplicationContext startUnderRestartClassLoader(String... properties) {
		RestartClassLoader loader = new RestartClassLoader(DevtoolsRestartTests.class.getClassLoader(), new URL[0]);
		return RunningServer.builder(EmbeddedServer.TOMCAT, properties)
			.resourceLoader(new DefaultResourceLoader(loader))
			.run();
	}

	private static int localPort(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

}
