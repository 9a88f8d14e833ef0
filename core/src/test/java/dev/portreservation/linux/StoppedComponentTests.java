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
 * A component that stops while its port is lent leaves the port to nobody: the
 * reservation notices the component's socket is gone, ends the lend and holds the port
 * exclusively again, and another real user then gets none of its bind variants (every
 * address, every option, bound or listening). Measured: how long after the component's
 * close the lend ended.
 */
class StoppedComponentTests {

	private static final List<String> ADDRESSES = Attacker.EVERY_ADDRESS;

	private final LinuxPortReservations backend = new LinuxPortReservations();

	@Test
	void aComponentThatStopsWhileLentGetsItsPortHeldAgainAtOnce() throws Exception {
		List<String> taken = new ArrayList<>();
		List<Long> micros = new ArrayList<>();
		int attempts = 0;
		try (Attacker attacker = Attacker.otherUser()) {
			for (int round = 0; round < 8; round++) {
				try (PortReservation reservation = this.backend.acquireRuntime(Protocol.TCP, 2)) {
					LentPort lent = reservation.lend("component");
					HttpServer component = HttpServer
						.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), lent.port()), 0);
					component.start();
					// Long enough for the watcher to see the component listening.
					Thread.sleep(100);
					component.stop(0);
					long stopped = System.nanoTime();
					for (int i = 0; i < 200 && lent.isOpen(); i++) {
						Thread.sleep(1);
					}
					micros.add((System.nanoTime() - stopped) / 1000);
					assertThat(lent.isOpen()).as("the lend ended after the component stopped").isFalse();
					assertThat(reservation.leases()).isEmpty();
					for (String address : ADDRESSES) {
						for (String kind : new String[] { "tcp-listen", "tcp" }) {
							for (int options = 0; options < 4; options++) {
								attempts++;
								if (attacker.bind(kind, address, lent.port(), (options & 1) != 0, (options & 2) != 0)) {
									taken.add(kind + " " + address + ":" + lent.port() + " options " + options);
								}
							}
						}
					}
					attacker.closeSockets();
				}
			}
		}
		micros.sort(null);
		System.out.println("Component stopped while lent: lend ended after " + micros + " us; another user bound "
				+ taken.size() + " of " + attempts);
		assertThat(taken).as("another user's binds after the component stopped (of " + attempts + ")").isEmpty();
	}

}
