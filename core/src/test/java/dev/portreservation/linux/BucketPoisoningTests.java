package dev.portreservation.linux;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.portreservation.core.LentPort;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel's bind bucket remembers the last socket with {@code SO_REUSEPORT} that bound
 * beside others ({@code inet_csk_update_fastreuse}: {@code fastuid}, its address), and
 * later lets a socket of that uid with {@code SO_REUSEPORT} bind and listen there without
 * any conflict check ({@code sk_reuseport_match}). A real other user that binds with
 * {@code SO_REUSEADDR} + {@code SO_REUSEPORT} while a port is lent ("the seed") must
 * still be refused every bind and listen once the port is given back: on every address
 * family of the seed and of the later listen, with the seed closed before the return or
 * kept open.
 */
class BucketPoisoningTests {

	/**
	 * {@code v4:} an AF_INET socket; the others AF_INET6 dual-stack (127.0.0.1
	 * v4-mapped).
	 */
	private static final String[] ADDRESSES = { "v4:127.0.0.1", "127.0.0.1", "v4:0.0.0.0", "::", "::1" };

	private final LinuxPortReservations backend = new LinuxPortReservations();

	@Test
	void aSeedLeftDuringALendNeverLetsAnotherUserListenOnceThePortIsReturned() throws Exception {
		List<String> listened = new ArrayList<>();
		int seeded = 0;
		int attempts = 0;
		try (Attacker attacker = Attacker.otherUser()) {
			for (String seed : ADDRESSES) {
				for (boolean seedKept : new boolean[] { false, true }) {
					for (String target : ADDRESSES) {
						try (PortReservation reservation = this.backend.acquireRuntime(Protocol.TCP, 1)) {
							LentPort lent = reservation.lend("component");
							int port = lent.port();
							if (!attacker.bind("tcp", seed, port, true, true)) {
								continue;
							}
							seeded++;
							if (!seedKept) {
								attacker.closeSockets();
							}
							lent.close();
							// The attack first, then every other variant.
							for (String kind : new String[] { "tcp-listen", "tcp" }) {
								for (int options : new int[] { 2, 0, 1, 3 }) {
									attempts++;
									if (attacker.bind(kind, target, port, (options & 1) != 0, (options & 2) != 0)) {
										listened.add("seed " + seed + (seedKept ? " (kept)" : " (closed)") + ", then "
												+ kind + " " + target + ":" + port + " options " + options);
									}
								}
							}
							attacker.closeSockets();
						}
					}
				}
			}
		}
		System.out.println("Bucket seeded during a lend: " + seeded + " seeds, " + attempts
				+ " bind attempts after the return, " + listened.size() + " bound");
		assertThat(seeded).as("the seed binds in the lend window").isPositive();
		assertThat(listened).as("binds of the other user on a returned port (of " + attempts + ")").isEmpty();
	}

	/**
	 * UDP keeps no such state: {@code udp_lib_get_port} checks every socket on the port
	 * at each bind. A UDP port is lent with its holder unchanged until the hand-off;
	 * after the hand-off another user's {@code SO_REUSEADDR} + {@code SO_REUSEPORT}
	 * socket can bind the port (the documented hand-off window); once it is closed and
	 * the port given back, the new exclusive holder refuses every variant. A seed still
	 * open at the return keeps the holder out, and the port is reported unheld.
	 */
	@Test
	void udpRemembersNoSeedOnceThePortIsReturned() throws Exception {
		List<String> bound = new ArrayList<>();
		int attempts = 0;
		int seeded = 0;
		try (Attacker attacker = Attacker.otherUser()) {
			for (String seed : ADDRESSES) {
				try (PortReservation reservation = this.backend.acquireRuntime(Protocol.UDP, 1)) {
					LentPort lent = reservation.lend("component");
					int port = lent.port();
					assertThat(attacker.bind("udp", seed, port, true, true)).as("before the hand-off").isFalse();
					lent.handOff();
					if (attacker.bind("udp", seed, port, true, true)) {
						seeded++;
					}
					attacker.closeSockets();
					lent.close();
					assertThat(reservation.unheldPorts()).isEmpty();
					for (String target : ADDRESSES) {
						for (int options = 0; options < 4; options++) {
							attempts++;
							if (attacker.bind("udp", target, port, (options & 1) != 0, (options & 2) != 0)) {
								bound.add("seed " + seed + ", then " + target + ":" + port + " options " + options);
							}
						}
					}
					attacker.closeSockets();
				}
			}
			try (PortReservation reservation = this.backend.acquireRuntime(Protocol.UDP, 1)) {
				LentPort lent = reservation.lend("component");
				lent.handOff();
				assertThat(attacker.bind("udp", "::", lent.port(), true, true)).isTrue();
				lent.close();
				assertThat(reservation.unheldPorts()).as("a seed still open at the return")
					.containsExactly(lent.port());
				attacker.closeSockets();
			}
		}
		System.out.println("UDP seeded after a hand-off: " + seeded + " seeds, " + attempts
				+ " bind attempts after the return, " + bound.size() + " bound");
		assertThat(seeded).isPositive();
		assertThat(bound).as("binds of the other user on a returned UDP port (of " + attempts + ")").isEmpty();
	}

}
