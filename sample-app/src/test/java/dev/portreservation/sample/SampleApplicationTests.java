package dev.portreservation.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample, configured only by its application.yml, serves HTTP on a port of its
 * reserved block.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@GuardTimeout(30)
class SampleApplicationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private PortReservation reservation;

	@Test
	void servesOnAPortOfItsReservedBlock() throws Exception {
		assertThat(this.reservation.block().count()).isEqualTo(8);
		assertThat(this.reservation.block().contains(this.port))
			.as("port %d in %s", this.port, this.reservation.block())
			.isTrue();
		assertThat(this.reservation.leases()).filteredOn((lease) -> lease.owner().equals("server"))
			.extracting(PortLease::port)
			.containsExactly(this.port);
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/"))
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("Hello from a reserved port: " + this.port + "\n");
	}

}
