package dev.portreservation.linux;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.portreservation.core.Enforcement;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;
import dev.portreservation.test.PortReservationsContract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The whole contract, persistent blocks included, against the real kernel: the JVM runs
 * in a private network namespace (see {@link PrivateNetworkNamespace}), so
 * {@code ip_local_reserved_ports} written here is that namespace's own and vanishes with
 * it.
 */
class LinuxPersistentInNetnsTests extends PortReservationsContract<LinuxPortReservations> {

	private static final Path RESERVED_PORTS = LinuxPortReservations.RESERVED_PORTS;

	private static final Path LOCAL_PORT_RANGE = LinuxPortReservations.LOCAL_PORT_RANGE;

	@TempDir
	static Path stateDirectory;

	private String reservedBefore;

	LinuxPersistentInNetnsTests() {
		super(() -> new LinuxPortReservations(stateDirectory));
	}

	@BeforeEach
	void requirePrivateNetworkNamespace() throws IOException {
		// Per test rather than once per class, so that every skipped test is reported
		// with the reason.
		PrivateNetworkNamespace.require();
		this.reservedBefore = ProcFile.read(RESERVED_PORTS);
	}

	@AfterEach
	void nothingLeftReserved() throws IOException {
		if (this.reservedBefore == null) {
			// Skipped or refused before anything was written: this may be the host's
			// namespace.
			return;
		}
		String after = ProcFile.read(RESERVED_PORTS);
		Set<Path> records = new HashSet<>();
		try (Stream<Path> files = Files.list(backend().stateDirectory())) {
			files.filter((file) -> file.toString().endsWith(".properties")).forEach(records::add);
		}
		catch (java.nio.file.NoSuchFileException ex) {
			// No persistent block was ever created.
		}
		if (!after.equals(this.reservedBefore)) {
			Files.writeString(RESERVED_PORTS, this.reservedBefore.isBlank() ? "\n" : this.reservedBefore);
		}
		for (Path record : records) {
			Files.delete(record);
		}
		assertThat(after).as("ip_local_reserved_ports after the test").isEqualTo(this.reservedBefore);
		assertThat(records).as("records left in the state directory").isEmpty();
	}

	@Test
	void foreignEntriesSurviveCreateAndDelete() throws IOException {
		PortBlock block = freeBlock(4);
		String foreign = (block.startPort() - 10) + "," + (block.endPort() + 5) + "-" + (block.endPort() + 9);
		writeReservedPorts(foreign);
		try {
			PortReservation created = track(backend().createPersistent(Protocol.TCP, block));
			assertThat(created.createdByThisProcess()).isTrue();
			assertThat(IpLocalReservedPorts.parse(ProcFile.read(RESERVED_PORTS)))
				.isEqualTo(IpLocalReservedPorts.parse(foreign).with(block));
			backend().deletePersistent(Protocol.TCP, block);
			assertThat(ProcFile.read(RESERVED_PORTS).strip()).isEqualTo(foreign);
		}
		finally {
			writeReservedPorts(this.reservedBefore);
		}
	}

	@Test
	void twoBackendInstancesShareABlockThroughLookup() throws Exception {
		PortBlock block = freeBlock(2);
		LinuxPortReservations otherProcess = new LinuxPortReservations(stateDirectory);
		PortReservation created = track(backend().createPersistent(Protocol.TCP, block));
		try {
			PortReservation found = track(otherProcess.lookupPersistent(Protocol.TCP, block).orElseThrow());
			assertThat(found.createdByThisProcess()).isFalse();
			assertThat(found.token()).isEqualTo(created.token());
			int theirs = found.bind(serverChannel(), LOOPBACK, 0);
			// Our reservation does not know their lease: its bind skips the busy port.
			int ours = created.bind(serverChannel(), LOOPBACK, 0);
			assertThat(Set.of(theirs, ours)).containsExactlyInAnyOrder(block.startPort(), block.endPort());
			assertThatExceptionOfType(PortReservationException.class)
				.isThrownBy(() -> created.bind(serverChannel(), LOOPBACK, 0))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.EXHAUSTED));
		}
		finally {
			otherProcess.deletePersistent(Protocol.TCP, block);
		}
		assertThat(backend().lookupPersistent(Protocol.TCP, block)).isEmpty();
	}

	@Test
	void aRecordWhoseSysctlEntryVanishedIsNotFound() throws IOException {
		PortBlock block = freeBlock(3);
		track(backend().createPersistent(Protocol.UDP, block));
		assertThat(IpLocalReservedPorts.parse(ProcFile.read(RESERVED_PORTS)).containsAll(block)).isTrue();
		// As after a reboot, or an administrator's edit: the kernel forgot the ports, the
		// record remains.
		writeReservedPorts(IpLocalReservedPorts.parse(ProcFile.read(RESERVED_PORTS)).without(block).format());
		assertThat(backend().lookupPersistent(Protocol.UDP, block)).isEmpty();
		try (Stream<Path> files = Files.list(backend().stateDirectory())) {
			assertThat(files.filter((file) -> file.toString().endsWith(".properties"))).as("stale record").isEmpty();
		}
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> backend().deletePersistent(Protocol.UDP, block))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.NOT_FOUND));
	}

	@Test
	void tcpAndUdpBlocksOfTheSameRangeShareOneEntry() throws IOException {
		PortBlock block = freeBlock(4);
		track(backend().createPersistent(Protocol.TCP, block));
		track(backend().createPersistent(Protocol.UDP, block));
		// One port over either end, whichever stays below 65536.
		PortBlock overlapping = (block.endPort() < PortBlock.MAX_PORT) ? new PortBlock(block.startPort() + 1, 4)
				: new PortBlock(block.startPort() - 1, 4);
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> backend().createPersistent(Protocol.UDP, overlapping))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT));
		backend().deletePersistent(Protocol.TCP, block);
		assertThat(IpLocalReservedPorts.parse(ProcFile.read(RESERVED_PORTS)).containsAll(block)).isTrue();
		assertThat(backend().lookupPersistent(Protocol.UDP, block)).isPresent()
			.hasValueSatisfying(PortReservation::close);
		backend().deletePersistent(Protocol.UDP, block);
		assertThat(IpLocalReservedPorts.parse(ProcFile.read(RESERVED_PORTS)).within(block).isEmpty()).isTrue();
	}

	@Test
	void theKernelKeepsAPersistentBlockOutOfAutomaticAssignment() throws IOException {
		String rangeBefore = ProcFile.read(LOCAL_PORT_RANGE).strip();
		// A private namespace lets us shrink the ephemeral range to ten ports, half of
		// them reserved.
		Files.writeString(LOCAL_PORT_RANGE, "40000 40009\n");
		try {
			PortBlock block = new PortBlock(40000, 5);
			PortReservation reservation = track(backend().createPersistent(Protocol.TCP, block));
			assertThat(reservation.kind()).isEqualTo(ReservationKind.PERSISTENT);
			assertThat(reservation.enforcement()).isEqualTo(Enforcement.AUTOMATIC_ASSIGNMENT_ONLY);
			for (int i = 0; i < 5; i++) {
				ServerSocketChannel automatic = serverChannel().bind(new InetSocketAddress(LOOPBACK, 0));
				int port = ((InetSocketAddress) automatic.getLocalAddress()).getPort();
				assertThat(port).isBetween(40005, 40009);
			}
			assertThat(reservation.bind(serverChannel(), LOOPBACK, 0)).isBetween(40000, 40004);
			backend().deletePersistent(Protocol.TCP, block);
		}
		finally {
			Files.writeString(LOCAL_PORT_RANGE, rangeBefore + "\n");
		}
	}

	@Test
	void aNonLocalAddressFailsEveryBindOfAPersistentBlockAsTheAddress() throws Exception {
		java.net.InetAddress address = java.net.InetAddress.getByName("192.0.2.1");
		for (Protocol protocol : Protocol.values()) {
			PortBlock block = freeBlock(3);
			PortReservation reservation = track(backend().createPersistent(protocol, block));
			try {
				for (int port = 0; port <= block.count(); port++) {
					int asked = (port == 0) ? 0 : block.startPort() + port - 1;
					java.nio.channels.NetworkChannel channel = (protocol == Protocol.TCP) ? serverChannel()
							: datagramChannel();
					InetSocketAddress local = new InetSocketAddress(address, asked);
					assertThatExceptionOfType(PortReservationException.class).isThrownBy(() -> {
						if (channel instanceof ServerSocketChannel server) {
							reservation.bind(server, local, 0, "test");
						}
						else {
							reservation.bind((java.nio.channels.DatagramChannel) channel, local, "test");
						}
					}).satisfies((ex) -> {
						assertThat(ex.getReason()).as(ex.getMessage()).isEqualTo(Reason.INVALID);
						assertThat(ex.getMessage()).contains("192.0.2.1", "EADDRNOTAVAIL");
						assertThat(ex.getNativeCode()).contains(99L);
					});
				}
			}
			finally {
				backend().deletePersistent(protocol, block);
			}
		}
	}

	private static void writeReservedPorts(String list) throws IOException {
		Files.writeString(RESERVED_PORTS, list.isBlank() ? "\n" : list);
	}

}
