package dev.portreservation.test;

import dev.portreservation.core.PortReservation;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The annotations in the other order (the extensions register in that order): same
 * result.
 */
@ReservedPorts(count = 3)
@SpringBootTest(classes = MockServerApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "mock.port=${portreservation.ports.mock}" })
class ReservedPortsBeforeSpringBootTestTests {

	@Autowired
	PortReservation contextReservation;

	@LocalServerPort
	int serverPort;

	@Value("${mock.port}")
	int mockPort;

	@ReservedPort("mock")
	int mock;

	@Test
	void theContextUsesTheClassesBlock(PortReservation reservation) {
		assertThat(this.contextReservation).isSameAs(reservation);
		assertThat(reservation.block().count()).isEqualTo(3);
		assertThat(this.mockPort).isEqualTo(this.mock);
		assertThat(reservation.block().contains(this.serverPort)).isTrue();
		assertThat(this.serverPort).isNotEqualTo(this.mock);
	}

}
