package dev.portreservation.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import org.junit.jupiter.api.io.TempDir;

import dev.portreservation.core.Enforcement;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim of a Linux persistent block, {@link Enforcement#AUTOMATIC_ASSIGNMENT_ONLY},
 * attacked by another real Unix user in a child process, in a private network namespace
 * (the sysctls written here are that namespace's). The ephemeral range is narrowed to the
 * block plus four ports, so automatic assignment has every chance to land in the block:
 * it never does. Explicit binds of the block's ports by that user do succeed, which is
 * why nothing more is claimed.
 */
@GuardTimeout(120)
class EnforcementClaimsInNetnsTests {

	@TempDir
	Path stateDirectory;

	@BeforeEach
	void requirePrivateNetworkNamespace() {
		PrivateNetworkNamespace.require();
	}

	@Test
	void automaticAssignmentNeverLandsInThePersistentBlockButExplicitBindsDo() throws Exception {
		ThrowawayUser.ensure(ThrowawayUser.ATTACKER);
		LinuxPortReservations backend = new LinuxPortReservations(this.stateDirectory);
		String rangeBefore = ProcFile.read(LinuxPortReservations.LOCAL_PORT_RANGE).strip();
		String reservedBefore = ProcFile.read(LinuxPortReservations.RESERVED_PORTS);
		PortBlock block = new PortBlock(40000, 6);
		Files.writeString(LinuxPortReservations.LOCAL_PORT_RANGE, "40000 40009\n");
		try {
			for (Protocol protocol : Protocol.values()) {
				try (PortReservation reservation = backend.createPersistent(protocol, block)) {
					assertThat(reservation.enforcement()).isEqualTo(Enforcement.AUTOMATIC_ASSIGNMENT_ONLY);
					String name = protocol.name().toLowerCase(Locale.ROOT);
					List<String> automatic = ThrowawayUser.ensure(ThrowawayUser.ATTACKER)
						.runJava(ForeignBinds.class, "automatic", name, "20");
					List<Integer> ports = automatic.stream()
						.filter((line) -> line.startsWith("auto "))
						.map((line) -> Integer.parseInt(line.substring(5).strip()))
						.toList();
					assertThat(ports).as("ports the kernel chose for another user's bind(0)")
						.hasSize(4)
						.allSatisfy((port) -> assertThat(block.contains(port)).isFalse());
					List<String> explicit = ThrowawayUser.ensure(ThrowawayUser.ATTACKER)
						.runJava(ForeignBinds.class, "explicit", name, String.valueOf(block.startPort()),
								String.valueOf(block.count()));
					assertThat(explicit).as("explicit binds are not refused: the claim must not say more")
						.anyMatch((line) -> line.startsWith("bound "));
					// The figures for the README: how much an explicit bind of another
					// user gets.
					System.out.println(protocol + " persistent block, another user: " + ports.size()
							+ " automatic binds outside the block, explicit: " + explicit.get(explicit.size() - 1));
				}
				finally {
					backend.deletePersistent(protocol, block);
				}
			}
		}
		finally {
			Files.writeString(LinuxPortReservations.LOCAL_PORT_RANGE, rangeBefore + "\n");
			assertThat(ProcFile.read(LinuxPortReservations.RESERVED_PORTS)).isEqualTo(reservedBefore);
		}
	}

}
