package dev.portreservation.linux;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import dev.portreservation.core.LentPort;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While a lent port's component listens on one address (127.0.0.1), the port is nobody
 * else's on any address: another real user gets none of its bind variants (both families,
 * loopback and wildcard, every option, bound or listening), on the address the component
 * listens on and on those it does not ({@code [::1]}, where the holder alone keeps the
 * port). Before, the holder stayed open to {@code SO_REUSEADDR} for the whole lend and
 * {@code [::1]} took the other user's bind and listen.
 */
class ListeningComponentTests {

	private static final List<String> ADDRESSES = Attacker.EVERY_ADDRESS;

	private final LinuxPortReservations backend = new LinuxPortReservations();

	@Test
	void aListeningComponentsPortIsNobodyElsesOnAnyAddress() throws Exception {
		List<String> taken = new ArrayList<>();
		int attempts = 0;
		try (Attacker attacker = Attacker.otherUser()) {
			for (int round = 0; round < 4; round++) {
				try (PortReservation reservation = this.backend.acquireRuntime(Protocol.TCP, 2)) {
					LentPort lent = reservation.lend("component");
					HttpServer component = HttpServer
						.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), lent.port()), 0);
					component.start();
					try {
						assertThat(lent.verify()).as("the component bound the lent port").isTrue();
						for (String address : ADDRESSES) {
							for (String kind : new String[] { "tcp-listen", "tcp" }) {
								for (int options = 0; options < 4; options++) {
									attempts++;
									if (attacker.bind(kind, address, lent.port(), (options & 1) != 0,
											(options & 2) != 0)) {
										taken.add(kind + " " + address + ":" + lent.port() + " options " + options);
									}
									attacker.closeSockets();
								}
							}
						}
						assertThat(lent.isOpen()).as("the lend of a listening component goes on").isTrue();
					}
					finally {
						component.stop(0);
					}
				}
			}
		}
		System.out.println("Component listening on a lent port: another user bound " + taken.size() + " of " + attempts
				+ ": " + taken);
		assertThat(taken).as("another user's binds while the component listens (of " + attempts + ")").isEmpty();
	}

}
