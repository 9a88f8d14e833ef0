package dev.portreservation.boot.autoconfigure.web;

import java.util.List;

import dev.portreservation.boot.web.tomcat.ReservedHttp11NioProtocol;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Real embedded servers on 127.0.0.1 binding through a runtime block of the platform's
 * backend.
 */
@GuardTimeout(30)
class EmbeddedServerTests {

	@ParameterizedTest
	@EnumSource(EmbeddedServer.class)
	void serverBindsInsideTheBlockAndServesHttp(EmbeddedServer kind) throws Exception {
		try (RunningServer server = RunningServer.start(kind, "portreservation.count=4")) {
			PortReservation reservation = server.reservation();
			int port = server.webServerPort();
			assertThat(reservation.block().contains(port)).as("port %d in %s", port, reservation.block()).isTrue();
			assertThat(server.localServerPort()).isEqualTo(port);
			assertThat(server.events()).singleElement()
				.satisfies((event) -> assertThat(event.getWebServer().getPort()).isEqualTo(port));
			assertThat(reservation.leases()).extracting(PortLease::port, PortLease::owner)
				.containsExactly(tuple(port, "server"));
			assertThat(server.get(port, "/hello")).isEqualTo("200 hello");
		}
	}

	@Test
	void serverPortInsideTheBlockIsTheServersPort() throws Exception {
		PortBlock block;
		try (PortReservation probe = PortReservations.forCurrentPlatform().acquireRuntime(Protocol.TCP, 4)) {
			block = probe.block();
		}
		int port = block.startPort() + 2;
		try (RunningServer server = RunningServer.start(EmbeddedServer.TOMCAT,
				"portreservation.start-port=" + block.startPort(), "portreservation.count=4", "server.port=" + port)) {
			assertThat(server.reservation().block()).isEqualTo(block);
			assertThat(server.webServerPort()).isEqualTo(port);
			assertThat(server.localServerPort()).isEqualTo(port);
			assertThat(server.get(port, "/hello")).isEqualTo("200 hello");
		}
	}

	@Test
	void tomcatManagementServerAndAdditionalConnectorBindFromTheBlock() throws Exception {
		try (RunningServer server = RunningServer.start(EmbeddedServer.TOMCAT,
				new Class<?>[] { AdditionalConnector.class }, "portreservation.count=4", "management.server.port=0",
				"management.server.address=127.0.0.1")) {
			PortReservation reservation = server.reservation();
			int port = server.webServerPort();
			int managementPort = server.localManagementPort();
			Connector additional = ((TomcatWebServer) ((WebServerApplicationContext) server.context()).getWebServer())
				.getTomcat()
				.getService()
				.findConnectors()[1];
			int connectorPort = additional.getLocalPort();
			assertThat(reservation.leases()).extracting(PortLease::port, PortLease::owner)
				.containsExactlyInAnyOrder(tuple(port, "server"), tuple(managementPort, "management"),
						tuple(connectorPort, "connector-1"));
			assertThat(List.of(port, managementPort, connectorPort)).allMatch(reservation.block()::contains);
			assertThat(server.events()).extracting((event) -> event.getWebServer().getPort())
				.containsExactlyInAnyOrder(port, managementPort);
			assertThat(server.get(managementPort, "/actuator/health")).startsWith("200 ");
			assertThat(server.get(connectorPort, "/hello")).isEqualTo("200 hello");
		}
	}

	@Test
	void nettyManagementServerBindsFromTheBlock() throws Exception {
		try (RunningServer server = RunningServer.start(EmbeddedServer.NETTY, "portreservation.count=2",
				"management.server.port=0", "management.server.address=127.0.0.1")) {
			PortReservation reservation = server.reservation();
			int managementPort = server.localManagementPort();
			assertThat(reservation.leases()).extracting(PortLease::port, PortLease::owner)
				.containsExactlyInAnyOrder(tuple(server.webServerPort(), "server"),
						tuple(managementPort, "management"));
			assertThat(server.get(managementPort, "/actuator/health")).startsWith("200 ");
		}
	}

	@Test
	void jettyManagementServerAndAdditionalConnectorBindFromTheBlock() throws Exception {
		try (RunningServer server = RunningServer.start(EmbeddedServer.JETTY,
				new Class<?>[] { AdditionalJettyConnector.class }, "portreservation.count=4",
				"management.server.port=0", "management.server.address=127.0.0.1")) {
			PortReservation reservation = server.reservation();
			int port = server.webServerPort();
			int managementPort = server.localManagementPort();
			Server jetty = ((JettyWebServer) ((WebServerApplicationContext) server.context()).getWebServer())
				.getServer();
			int connectorPort = ((ServerConnector) jetty.getConnectors()[1]).getLocalPort();
			assertThat(reservation.leases()).extracting(PortLease::port, PortLease::owner)
				.containsExactlyInAnyOrder(tuple(port, "server"), tuple(managementPort, "management"),
						tuple(connectorPort, "connector-1"));
			assertThat(server.get(managementPort, "/actuator/health")).startsWith("200 ");
			assertThat(server.get(connectorPort, "/hello")).isEqualTo("200 hello");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class AdditionalJettyConnector {

		@Bean
		WebServerFactoryCustomizer<JettyServletWebServerFactory> additionalConnector() {
			return (factory) -> factory.addServerCustomizers((server) -> {
				ServerConnector connector = new ServerConnector(server);
				connector.setHost("127.0.0.1");
				connector.setPort(0);
				server.addConnector(connector);
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AdditionalConnector {

		@Bean
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> additionalConnector() {
			return (factory) -> {
				Connector connector = ReservedHttp11NioProtocol.newConnector();
				connector.setPort(0);
				factory.addAdditionalConnectors(connector);
			};
		}

	}

}
