package dev.portreservation.boot.autoconfigure.web;

import java.util.concurrent.TimeUnit;

import dev.portreservation.boot.web.tomcat.ReservedHttp11NioProtocol;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11Nio2Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Boot 3.5's Tomcat factories have no getter for the protocol, so a custom one
 * cannot be refused as on Boot 4: it is replaced by the reserved NIO protocol, and the
 * server still listens inside the block (the README says so).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TomcatCustomProtocolOnBoot3Tests {

	@Test
	void aCustomProtocolIsReplacedAndTheServerListensInsideTheBlock() throws Exception {
		try (RunningServer server = RunningServer.start(EmbeddedServer.TOMCAT, new Class<?>[] { Nio2Protocol.class },
				"portreservation.count=2")) {
			int port = server.webServerPort();
			assertThat(server.reservation().block().contains(port))
				.as("port %d in %s", port, server.reservation().block())
				.isTrue();
			Connector connector = ((TomcatWebServer) ((WebServerApplicationContext) server.context()).getWebServer())
				.getTomcat()
				.getConnector();
			assertThat(connector.getProtocolHandler()).isInstanceOf(ReservedHttp11NioProtocol.class);
			assertThat(server.get(port, "/hello")).isEqualTo("200 hello");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Nio2Protocol {

		@Bean
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> nio2() {
			return (factory) -> factory.setProtocol(Http11Nio2Protocol.class.getName());
		}

	}

}
