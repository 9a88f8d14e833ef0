package dev.portreservation.test;

import java.net.InetAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import dev.portreservation.core.LoopbackHttp;
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
			servers.add(LoopbackHttp.serve(alpha, "alpha"));
			servers.add(LoopbackHttp.serve(beta, "beta"));
			int ownPort = reservation.bind(own, InetAddress.getLoopbackAddress(), 0);
			assertThat(ownPort).isNotIn(alpha, beta);
			for (int round = 0; round < 25; round++) {
				assertThat(LoopbackHttp.get(alpha)).isEqualTo("alpha");
				assertThat(LoopbackHttp.get(beta)).isEqualTo("beta");
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

}
