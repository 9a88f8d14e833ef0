package dev.portreservation.linux;

import java.util.List;

import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;

import dev.portreservation.core.Enforcement;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;
import dev.portreservation.portable.PortablePortReservations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each backend's claimed {@link Enforcement} attacked by another real Unix user in a
 * child process (created with {@code useradd} when root; skipped with the reason
 * otherwise). A claim holds only if the attack fails on every port and every bind
 * variant; a backend that claims nothing must let the attack through, so the claim is
 * never more than the OS gives. Persistent Linux blocks:
 * {@code EnforcementClaimsInNetnsTests}.
 */
@GuardTimeout(120)
class EnforcementClaimsTests {

	private static final int COUNT = 8;

	@Test
	void aLinuxRuntimeBlockRefusesEveryBindOfAnotherUser() throws Exception {
		ThrowawayUser.ensure(ThrowawayUser.ATTACKER);
		LinuxPortReservations backend = new LinuxPortReservations();
		for (Protocol protocol : Protocol.values()) {
			try (PortReservation reservation = backend.acquireRuntime(protocol, COUNT)) {
				assertThat(reservation.enforcement()).isEqualTo(Enforcement.EVERY_BIND_BY_OTHER_USERS);
				List<String> output = ThrowawayUser.ensure(ThrowawayUser.ATTACKER)
					.runJava(ForeignBinds.class, "explicit", protocol.name().toLowerCase(java.util.Locale.ROOT),
							String.valueOf(reservation.block().startPort()), String.valueOf(COUNT));
				// 4 addresses x 4 option sets (x 2 socket kinds for TCP) per port.
				int variants = COUNT * 16 * ((protocol == Protocol.TCP) ? 2 : 1);
				assertThat(output).as("binds of another user on %s %s", protocol, reservation.block())
					.contains("attempts " + variants + " bound 0");
			}
		}
	}

	@Test
	void aPortableBlockOfEitherKindClaimsNothingAndAnotherUserCanBindIt() throws Exception {
		ThrowawayUser.ensure(ThrowawayUser.ATTACKER);
		PortablePortReservations backend = new PortablePortReservations();
		try (PortReservation runtime = backend.acquireRuntime(Protocol.TCP, 1)) {
			assertClaimsNothing(runtime);
		}
		PortBlock block = FreeBlocks.free(new LinuxPortReservations(), 1);
		try (PortReservation persistent = backend.createPersistent(Protocol.TCP, block)) {
			assertClaimsNothing(persistent);
		}
		finally {
			backend.deletePersistent(Protocol.TCP, block);
		}
	}

	private static void assertClaimsNothing(PortReservation reservation) throws Exception {
		assertThat(reservation.enforcement()).isEqualTo(Enforcement.NONE);
		List<String> output = ThrowawayUser.ensure(ThrowawayUser.ATTACKER)
			.runJava(ForeignBinds.class, "explicit", "tcp", String.valueOf(reservation.block().startPort()), "1");
		assertThat(output).as("NONE must mean it: another user binds the port of a %s block", reservation.kind())
			.anyMatch((line) -> line.startsWith("bound "));
	}

}
