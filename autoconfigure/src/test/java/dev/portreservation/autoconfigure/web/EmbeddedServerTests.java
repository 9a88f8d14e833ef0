package dev.portreservation.autoconfigure.web;

import java.util.concurrent.TimeUnit;

import dev.portreservation.autoconfigure.web.RunningServer.EmbeddedServer;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real embedded servers on 127.0.0.1 binding through a runtime block of the portable backend.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EmbeddedServerTests {

	@ParameterizedTest
	@EnumSource(EmbeddedServer.class)
	void serverBindsInsideTheBlockAndServesHttp(EmbeddedServer kind) throws Exception {
		try (RunningServer server = RunningServer.start(kind, "portreservation.backend=portable",
				"portreservation.count=4")) {
			PortReservation reservation = server.reservation();
			int port = server.webServerPort();
			assertThat(reservation.block().contains(port)).as("port %d in %s", port, reservation.block()).isTrue();
			assertThat(server.localServerPort()).isEqualTo(port);
			assertThat(server.events()).singleElement()
				.satisfies((event) -> assertThat(event.getWebServer().getPort()).isEqualTo(port));
			assertThat(reservation.leases()).extracting(PortLease::port, PortLease::owner)
				.containsExactly(org.assertj.core.groups.Tuple.tuple(port, "server"));
			assertThat(server.get(port, "/hello")).isEqualTo("200 hello");
		}
	}

}
