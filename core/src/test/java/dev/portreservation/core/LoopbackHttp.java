package dev.portreservation.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for a component's HTTP server in tests (also in portreservation-test's,
 * through the test jar): a JDK server on a loopback port that answers every request with
 * one body, and a GET that reads it back with bounded waits.
 */
public final class LoopbackHttp {

	private LoopbackHttp() {
	}

	/**
	 * Start a server on {@code port} of the loopback address.
	 * @param port the port to bind
	 * @param body what every request gets, with status 200
	 * @return the started server; the caller stops it
	 * @throws IOException when the bind fails
	 */
	public static HttpServer serve(int port, String body) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		server.createContext("/", (exchange) -> {
			exchange.sendResponseHeaders(200, bytes.length);
			exchange.getResponseBody().write(bytes);
			exchange.close();
		});
		server.start();
		return server;
	}

	/**
	 * GET {@code http://127.0.0.1:<port>/}, waiting at most 5 s to connect and 5 s to
	 * read.
	 * @param port the port
	 * @return the body
	 * @throws IOException when the request fails
	 */
	public static String get(int port) throws IOException {
		HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/")
			.toURL()
			.openConnection();
		connection.setConnectTimeout(5000);
		connection.setReadTimeout(5000);
		try (InputStream in = connection.getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		finally {
			connection.disconnect();
		}
	}

}
