package dev.portreservation.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.sun.net.httpserver.HttpServer;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@code @SpringBootTest} next to {@code @ReservedPorts}: the application's web server
 * and its third-party server on {@code ${portreservation.ports.mock}} both listen on the
 * test class's block, and {@code @ReservedPort("mock")} is that same port.
 */
@SpringBootTest(classes = MockServerApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "mock.port=${portreservation.ports.mock}",
				"management.endpoints.web.exposure.include=portreservations" })
@ReservedPorts(count = 4)
class SpringBootTestUsesTheClassBlockTests {

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Autowired
	PortReservation contextReservation;

	@Autowired
	HttpServer mockServer;

	@LocalServerPort
	int serverPort;

	@Test
	void theContextsServersListenOnTheTestsBlock(PortReservation reservation, @ReservedPort("mock") int mock)
			throws Exception {
		assertThat(this.contextReservation).isSameAs(reservation);
		assertThat(this.mockServer.getAddress().getPort()).isEqualTo(mock);
		assertThat(reservation.block().contains(this.serverPort)).isTrue();
		assertThat(reservation.block().contains(mock)).isTrue();
		assertThat(reservation.leases()).extracting(PortLease::port, PortLease::owner)
			.contains(tuple(this.serverPort, "server"), tuple(mock, "mock"));
		assertThat(get(this.serverPort, "/hello")).isEqualTo("hello");
		assertThat(get(mock, "/")).isEqualTo("mock");
		assertThat(get(this.serverPort, "/actuator/portreservations")).contains("\"owner\":\"mock\"")
			.contains("\"block\":\"" + reservation.block() + "\"");
	}

	static String get(int port, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(5))
			.build();
		return CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

}
