package dev.portreservation.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A stand-in for a partner's HTTP API, served by a third-party server that only takes a
 * port number (here the JDK's {@link HttpServer}; WireMock or a mock SMTP server are
 * configured the same way). Its port comes from {@code sample.partner.port:
 * ${portreservation.ports.partner}}, a port of the app's block lent to the name
 * "partner".
 */
@Component
class PartnerStub implements DisposableBean {

	private final HttpServer server;

	PartnerStub(@Value("${sample.partner.port}") int port) throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
		byte[] body = "{\"partner\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
		this.server.createContext("/status", (exchange) -> {
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.server.start();
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	@Override
	public void destroy() {
		this.server.stop(0);
	}

}
