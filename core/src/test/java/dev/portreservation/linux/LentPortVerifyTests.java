package dev.portreservation.linux;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.portreservation.core.LentPort;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link LentPort#verify()} on Linux runtime blocks: the component of this process is
 * told from nothing, and a socket of any other process (another real user, another
 * process of this user) on the lent port is a {@code CONFLICT} naming it, for every
 * address and option with which such a socket gets onto the port.
 */
class LentPortVerifyTests {

	private static final String[] ADDRESSES = { "0.0.0.0", "127.0.0.1", "::", "::1" };

	private final LinuxPortReservations backend = new LinuxPortReservations();

	@RegisterExtension
	final ClosedAfterEach resources = new ClosedAfterEach();

	@Test
	void verifyTellsTheComponentFromTheHolder() throws Exception {
		PortReservation reservation = keep(this.backend.acquireRuntime(Protocol.TCP, 2));
		LentPort lent = reservation.lend("component");
		assertThat(lent.verify()).as("nothing but the holder").isFalse();
		HttpServer component = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), lent.port()),
				0);
		component.start();
		try {
			assertThat(lent.verify()).as("the component listens").isTrue();
		}
		finally {
			component.stop(0);
		}
		// The lend ends by itself once the reservation sees the component stopped.
		for (int i = 0; i < 500 && lent.isOpen(); i++) {
			Thread.sleep(2);
		}
		assertThat(lent.isOpen()).as("the lend ended when the component stopped").isFalse();
		assertThatExceptionOfType(PortReservationException.class).isThrownBy(lent::verify)
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.INVALID));
	}

	@Test
	void verifySeesABoundOnlyComponent() throws Exception {
		KernelSockets.listsBoundOnly();
		org.junit.jupiter.api.Assumptions.assumeTrue(KernelSockets.listsBoundOnly(),
				"the kernel does not list bound-only TCP sockets (before Linux 6.5)");
		PortReservation reservation = keep(this.backend.acquireRuntime(Protocol.TCP, 1));
		LentPort lent = reservation.lend("component");
		try (java.nio.channels.SocketChannel component = java.nio.channels.SocketChannel.open()) {
			component.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
			component.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), lent.port()));
			assertThat(lent.verify()).isTrue();
		}
	}

	@Test
	void anotherUsersSocketOnALentTcpPortIsAConflictNamingIt() throws Exception {
		Attacker attacker = keep(Attacker.otherUser());
		long uid = ThrowawayUser.ensure(Attacker.USER).uid();
		PortReservation reservation = keep(this.backend.acquireRuntime(Protocol.TCP, 1));
		LentPort lent = reservation.lend("component");
		int bound = 0;
		int named = 0;
		for (String address : ADDRESSES) {
			for (String kind : new String[] { "tcp", "tcp-listen" }) {
				for (int options = 0; options < 4; options++) {
					if (!attacker.bind(kind, address, lent.port(), (options & 1) != 0, (options & 2) != 0)) {
						continue;
					}
					bound++;
					PortReservationException conflict = catchThrowableOfType(PortReservationException.class,
							lent::verify);
					if (conflict != null && conflict.getReason() == Reason.CONFLICT
							&& conflict.getHolders().stream().anyMatch((holder) -> holder.uid() == uid)) {
						named++;
					}
					attacker.closeSockets();
				}
			}
		}
		System.out.println("Another user on a lent port: " + bound + " variants bound, " + named
				+ " reported by verify() as CONFLICT naming uid " + uid);
		assertThat(bound).as("the other user's variants that got onto the lent port").isPositive();
		assertThat(named).as("of those, verify() failed CONFLICT naming uid " + uid).isEqualTo(bound);
		assertThat(lent.verify()).as("once the other user is gone").isFalse();
	}

	@Test
	void anotherProcessOfThisUserOnALentPortIsAConflictNamingItsPid() throws Exception {
		Attacker attacker = keep(Attacker.sameUser());
		PortReservation reservation = keep(this.backend.acquireRuntime(Protocol.TCP, 1));
		LentPort lent = reservation.lend("component");
		assertThat(attacker.bind("tcp", "127.0.0.1", lent.port(), true, false)).isTrue();
		PortReservationException conflict = catchThrowableOfType(PortReservationException.class, lent::verify);
		assertThat(conflict).isNotNull();
		assertThat(conflict.getReason()).isEqualTo(Reason.CONFLICT);
		assertThat(conflict.getHolders()).anyMatch(PortHolder::pidKnown);
		assertThat(conflict.getMessage()).contains("SocketAttacker");
	}

	@Test
	void anotherUsersSocketOnAHandedOffUdpPortIsAConflict() throws Exception {
		Attacker attacker = keep(Attacker.otherUser());
		PortReservation reservation = keep(this.backend.acquireRuntime(Protocol.UDP, 1));
		LentPort lent = reservation.lend("component");
		lent.handOff();
		assertThat(lent.verify()).as("handed off, nothing bound").isFalse();
		assertThat(attacker.bind("udp", "127.0.0.1", lent.port(), false, false)).isTrue();
		assertThatExceptionOfType(PortReservationException.class).isThrownBy(lent::verify)
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT));
	}

	private <T extends AutoCloseable> T keep(T resource) {
		return this.resources.track(resource);
	}

}
