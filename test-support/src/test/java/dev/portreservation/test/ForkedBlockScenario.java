package dev.portreservation.test;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every one of the parallel test classes does with its block: two third-party
 * servers (the JDK's {@link HttpServer}) on named ports, one channel bound through the
 * block, real HTTP requests to both servers, and a ledger entry. A block given to two
 * classes at once would fail a bind here, and the ledger check would see it.
 */
@ReservedPorts(count = 4)
abstract class ForkedBlockScenario {

	PortReservation reservationField;

	@ReservedPort("alpha")
	int alphaField;

	@Test
	void thirdPartyServersListenOnNamedPortsOfTheClassesBlock(@ReservedPort("alpha") int alpha,
			@ReservedPort("beta") int beta, PortReservation reservation) throws Exception {
		long start = System.currentTimeMillis();
		PortBlock block = reservation.block();
		assertThat(reservation).isSameAs(this.reservationField);
		assertThat(alpha).isEqualTo(this.alphaField);
		assertThat(Set.of(alpha, beta)).hasSize(2).allMatch(block::contains);
		List<HttpServer> servers = new ArrayList<>();
		try (ServerSocketChannel own = ServerSocketChannel.open()) {
			servers.add(start(alpha, "alpha"));
			servers.add(start(beta, "beta"));
			int ownPort = reservation.bind(own, InetAddress.getLoopbackAddress(), 0);
			assertThat(ownPort).isNotIn(alpha, beta);
			for (int round = 0; round < 25; round++) {
				assertThat(get(alpha)).isEqualTo("alpha");
				assertThat(get(beta)).isEqualTo("beta");
				// Hold the block a little so the forks' classes overlap in time.
				Thread.sleep(20);
			}
			assertThat(reservation.leases()).extracting(PortLease::owner).contains("alpha", "beta");
		}
		finally {
			servers.forEach((server) -> server.stop(0));
		}
		PortLedger.record(getClass(), block, start, System.currentTimeMillis());
	}

	private static HttpServer start(int port, String body) throws IOException {
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

	private static String get(int port) throws IOException {
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
