package dev.portreservation.boot.autoconfigure.web;

import java.util.List;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16.4 / Deliver 3: a read never lends. With the env endpoint exposed over a real
 * Tomcat, {@code GET /actuator/env/portreservation.ports.<any>} lent a port per new name
 * (6 lent, block exhausted, health DOWN); any code looking up arbitrary names did the
 * same. A name is lent only by a {@code ${portreservation.ports.<name>}} placeholder
 * resolved while the context starts; a plain read answers the port of a name lent already
 * and nothing for any other name.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NamedPortReadsTests {

	@Test
	void theEnvEndpointAndPlainReadsNeverLendAPort() throws Exception {
		try (RunningServer app = RunningServer.start(EmbeddedServer.TOMCAT,
				new Class<?>[] { NamedPortsTests.MockServerConfiguration.class }, "portreservation.count=4",
				"mock.port=${portreservation.ports.mock}",
				"management.endpoints.web.exposure.include=env,health,portreservations",
				"management.endpoint.env.show-values=always", "management.endpoint.health.show-details=always")) {
			PortReservation reservation = app.reservation();
			int mockPort = app.context().getBean(HttpServer.class).getAddress().getPort();
			List<PortLease> before = reservation.leases();
			assertThat(before).extracting(PortLease::owner).containsExactlyInAnyOrder("server", "mock");
			for (int i = 1; i <= 6; i++) {
				app.get(app.webServerPort(), "/actuator/env/portreservation.ports.probe" + i);
			}
			Environment environment = app.context().getEnvironment();
			assertThat(environment.getProperty("portreservation.ports.other")).isNull();
			assertThat(environment.resolvePlaceholders("${portreservation.ports.late:none}")).isEqualTo("none");
			assertThat(environment.getProperty("portreservation.ports.mock", Integer.class)).isEqualTo(mockPort);
			assertThat(app.get(app.webServerPort(), "/actuator/env/portreservation.ports.mock"))
				.contains("\"value\":" + mockPort);
			assertThat(reservation.leases()).extracting(PortLease::owner)
				.as("leases after 6 reads through the env endpoint and 3 in code")
				.containsExactlyInAnyOrder("server", "mock");
			assertThat(app.get(app.webServerPort(), "/actuator/health")).startsWith("200 ").contains("\"UP\"");
		}
	}

	@Test
	void aPlainReadWhileTheContextStartsNeverLendsAPort() {
		try (RunningServer app = RunningServer.start(EmbeddedServer.TOMCAT,
				new Class<?>[] { NamedPortsTests.MockServerConfiguration.class, ReadsWhileStarting.class },
				"portreservation.count=4", "mock.port=${portreservation.ports.mock}")) {
			assertThat(ReadsWhileStarting.read).as("a plain read while the context starts").isNull();
			assertThat(app.reservation().leases()).extracting(PortLease::owner)
				.containsExactlyInAnyOrder("server", "mock");
		}
	}

	/** Reads a name with a plain look-up while the bean definitions are processed. */
	@Configuration(proxyBeanMethods = false)
	static class ReadsWhileStarting {

		static volatile String read = "not read";

		@Bean
		static BeanFactoryPostProcessor plainRead(Environment environment) {
			return (beanFactory) -> read = environment.getProperty("portreservation.ports.looked-up");
		}

	}

}
