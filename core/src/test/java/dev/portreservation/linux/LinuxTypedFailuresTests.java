package dev.portreservation.linux;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Operation;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Linux backend's failures carry their facts as typed fields (what was attempted, the
 * problem found, the port, the file, the backend, the errno), so a caller and the failure
 * analyzer read fields only; and an errno is never guessed from text that merely mentions
 * a refusal. Persistent blocks use an ordinary file standing in for
 * {@code ip_local_reserved_ports} ({@link StandInSysctl}).
 */
class LinuxTypedFailuresTests {

	private static final PortBlock BLOCK = new PortBlock(40000, 8);

	private final LinuxPortReservations runtime = new LinuxPortReservations();

	@RegisterExtension
	final StandInSysctl sysctl = new StandInSysctl();

	@Test
	void aBusyPortOfARuntimeBlockIsPortInUseWithItsErrno() throws Exception {
		PortBlock block = FreeBlocks.withoutConnections(this.runtime, 2);
		int busy = block.startPort() + 1;
		try (ServerSocketChannel stranger = ServerSocketChannel.open()
			.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), busy))) {
			assertThatExceptionOfType(PortReservationException.class)
				.isThrownBy(() -> this.runtime.acquireRuntime(Protocol.TCP, block).close())
				.satisfies((ex) -> {
					assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT);
					assertThat(ex.getProblem()).contains(Problem.PORT_IN_USE);
					assertThat(ex.getOperation()).contains(Operation.ACQUIRE_RUNTIME);
					assertThat(ex.getPort()).contains(busy);
					assertThat(ex.getBackend()).contains(LinuxPortReservations.NAME);
					// EADDRINUSE
					assertThat(ex.getNativeCode()).contains(98L);
				});
		}
	}

	@Test
	void anInvalidWildcardCountSaysWhatWasAttempted() {
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.runtime.acquireRuntime(Protocol.UDP, 0))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.INVALID);
				assertThat(ex.getOperation()).contains(Operation.ACQUIRE_RUNTIME);
				assertThat(ex.getBackend()).contains(LinuxPortReservations.NAME);
			});
	}

	@Test
	void aPersistentConflictSaysWhatWasAttemptedAndWhere() throws IOException {
		Files.writeString(this.sysctl.file(), "40002\n");
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.sysctl.backend().createPersistent(Protocol.TCP, BLOCK))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT);
				assertThat(ex.getOperation()).contains(Operation.CREATE_PERSISTENT);
				assertThat(ex.getPath()).contains(this.sysctl.file());
				assertThat(ex.getBackend()).contains(LinuxPortReservations.NAME);
			});
		Files.writeString(this.sysctl.file(), "\n");
		try (PortReservation created = this.sysctl.backend().createPersistent(Protocol.TCP, BLOCK)) {
			assertThatExceptionOfType(PortReservationException.class)
				.isThrownBy(() -> this.sysctl.backend().createPersistent(Protocol.TCP, BLOCK))
				.satisfies((ex) -> {
					assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT);
					assertThat(ex.getOperation()).contains(Operation.CREATE_PERSISTENT);
					assertThat(ex.getBackend()).contains(LinuxPortReservations.NAME);
				});
		}
		this.sysctl.backend().deletePersistent(Protocol.TCP, BLOCK);
	}

	@Test
	void textThatMerelyMentionsARefusalIsNoErrno() throws IOException {
		// The sysctl's content is quoted in the parse failure; no system call failed.
		for (String content : new String[] { "Permission denied", "Operation not permitted",
				"Read-only file system" }) {
			Files.writeString(this.sysctl.file(), content + "\n");
			assertThatExceptionOfType(PortReservationException.class)
				.isThrownBy(() -> this.sysctl.backend().createPersistent(Protocol.TCP, BLOCK))
				.satisfies((ex) -> {
					assertThat(ex.getReason()).as(content).isEqualTo(Reason.SYSTEM_ERROR);
					assertThat(ex.getNativeCode()).as(content).isEmpty();
					assertThat(ex.getProblem()).as(content).isEmpty();
				});
		}
	}

}
