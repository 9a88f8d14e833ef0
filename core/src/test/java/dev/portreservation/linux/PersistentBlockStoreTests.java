package dev.portreservation.linux;

import dev.portreservation.test.GuardTimeouts;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The read-merge-write and record rules of persistent blocks, with an ordinary file
 * standing in for {@code ip_local_reserved_ports}: no privilege needed and the host's
 * sysctl is never touched. The real kernel is exercised by
 * {@link LinuxPersistentInNetnsTests}.
 */
class PersistentBlockStoreTests {

	private static final PortBlock BLOCK = new PortBlock(40000, 8);

	@RegisterExtension
	final StandInSysctl sysctl = new StandInSysctl();

	@Test
	void createAddsTheBlockAndDeleteRemovesExactlyIt() throws IOException {
		write("22,8080,40008-40010");
		try (PortReservation created = this.sysctl.backend().createPersistent(Protocol.TCP, BLOCK)) {
			assertThat(created.createdByThisProcess()).isTrue();
			assertThat(created.token()).isPositive();
		}
		assertThat(read()).isEqualTo("22,8080,40000-40010");
		this.sysctl.backend().deletePersistent(Protocol.TCP, BLOCK);
		assertThat(read()).isEqualTo("22,8080,40008-40010");
		assertThat(records()).isEmpty();
	}

	@Test
	void deletingTheLastBlockClearsTheList() throws IOException {
		this.sysctl.backend().createPersistent(Protocol.UDP, BLOCK).close();
		this.sysctl.backend().deletePersistent(Protocol.UDP, BLOCK);
		// A lone newline: the kernel ignores an empty write.
		assertThat(Files.readString(this.sysctl.file())).isEqualTo("\n");
	}

	@Test
	void aRecordNamesItsBlockForARestartedProcess() throws IOException {
		long token = this.sysctl.backend().createPersistent(Protocol.TCP, BLOCK).token();
		assertThat(records()).singleElement().satisfies((record) -> {
			assertThat(record.getFileName().toString()).isEqualTo("tcp-40000-40007.properties");
			assertThat(record.getParent().getFileName().toString())
				.isEqualTo("netns-" + LinuxPortReservations.networkNamespaceId());
			assertThat(Files.readString(record)).contains("protocol=TCP", "block=40000-40007", "token=" + token,
					"sysctl-entry=added");
		});
		LinuxPortReservations restarted = new LinuxPortReservations(this.sysctl.file(),
				this.sysctl.directory().resolve("x"), this.sysctl.stateDirectory());
		assertThat(restarted.lookupPersistent(Protocol.TCP, BLOCK)).hasValueSatisfying((found) -> {
			assertThat(found.token()).isEqualTo(token);
			assertThat(found.createdByThisProcess()).isFalse();
		});
		assertThat(restarted.lookupPersistent(Protocol.UDP, BLOCK)).isEmpty();
		assertThat(restarted.lookupPersistent(Protocol.TCP, new PortBlock(40000, 7))).isEmpty();
	}

	@Test
	void recordsAreKeptPerNetworkNamespace() {
		PersistentBlockStore here = new PersistentBlockStore(this.sysctl.file(), this.sysctl.stateDirectory(),
				"4026531833");
		PersistentBlockStore elsewhere = new PersistentBlockStore(this.sysctl.file(), this.sysctl.stateDirectory(),
				"4026532177");
		here.create(Protocol.TCP, BLOCK);
		assertThat(here.lookup(Protocol.TCP, BLOCK)).isPresent();
		assertThat(elsewhere.lookup(Protocol.TCP, BLOCK)).isEmpty();
	}

	@Test
	void aRecordWhoseEntryVanishedIsStaleAndCleanedUp() throws IOException {
		write("8080");
		this.sysctl.backend().createPersistent(Protocol.TCP, BLOCK).close();
		write("8080,40000-40006");
		assertThat(this.sysctl.backend().lookupPersistent(Protocol.TCP, BLOCK)).isEmpty();
		assertThat(records()).isEmpty();
		assertThat(read()).isEqualTo("8080,40000-40006");
	}

	@Test
	void staleRecordsDoNotBlockANewBlock() throws IOException {
		this.sysctl.backend().createPersistent(Protocol.TCP, BLOCK).close();
		write("\n");
		PortBlock overlapping = new PortBlock(40004, 8);
		this.sysctl.backend().createPersistent(Protocol.TCP, overlapping).close();
		assertThat(records()).extracting((record) -> record.getFileName().toString())
			.containsExactly("tcp-40004-40011.properties");
		assertThat(read()).isEqualTo("40004-40011");
	}

	@Test
	void overlappingARecordedBlockConflicts() throws IOException {
		this.sysctl.backend().createPersistent(Protocol.TCP, BLOCK).close();
		for (Protocol protocol : Protocol.values()) {
			assertThatExceptionOfType(PortReservationException.class)
				.isThrownBy(() -> this.sysctl.backend().createPersistent(protocol, new PortBlock(40007, 2)))
				.satisfies((ex) -> {
					assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT);
					assertThat(ex.getMessage()).contains("40000-40007");
				});
		}
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.sysctl.backend().createPersistent(Protocol.TCP, BLOCK))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT));
		assertThat(read()).isEqualTo("40000-40007");
	}

	@Test
	void tcpAndUdpShareTheEntryOfTheSameBlock() throws IOException {
		long tcp = this.sysctl.backend().createPersistent(Protocol.TCP, BLOCK).token();
		long udp = this.sysctl.backend().createPersistent(Protocol.UDP, BLOCK).token();
		assertThat(udp).isNotEqualTo(tcp);
		assertThat(read()).isEqualTo("40000-40007");
		this.sysctl.backend().deletePersistent(Protocol.UDP, BLOCK);
		assertThat(read()).isEqualTo("40000-40007");
		assertThat(this.sysctl.backend().lookupPersistent(Protocol.TCP, BLOCK)).isPresent();
		this.sysctl.backend().deletePersistent(Protocol.TCP, BLOCK);
		assertThat(read()).isEmpty();
	}

	@Test
	void aBlockAnAdministratorReservedIsAdoptedAndLeftInPlace() throws IOException {
		write("39990-40010");
		try (PortReservation adopted = this.sysctl.backend().createPersistent(Protocol.TCP, BLOCK)) {
			assertThat(adopted.createdByThisProcess()).isTrue();
		}
		assertThat(Files.readString(records().get(0))).contains("sysctl-entry=adopted");
		assertThat(this.sysctl.backend().lookupPersistent(Protocol.TCP, BLOCK)).isPresent();
		// A UDP block of the same range shares the adoption: deleting both still leaves
		// the entry.
		this.sysctl.backend().createPersistent(Protocol.UDP, BLOCK).close();
		this.sysctl.backend().deletePersistent(Protocol.TCP, BLOCK);
		this.sysctl.backend().deletePersistent(Protocol.UDP, BLOCK);
		assertThat(read()).isEqualTo("39990-40010");
		assertThat(records()).isEmpty();
	}

	@Test
	void aBlockPartlyReservedBySomeoneElseConflictsAndChangesNothing() throws IOException {
		write("8080,40006-40020");
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.sysctl.backend().createPersistent(Protocol.TCP, BLOCK))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT);
				assertThat(ex.getMessage()).contains("40006-40007");
			});
		assertThat(read()).isEqualTo("8080,40006-40020");
		assertThat(records()).isEmpty();
	}

	@Test
	void racingLookupOrCreateCreatesExactlyOnce() throws Exception {
		int racers = 8;
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(racers);
		try {
			java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
			List<java.util.concurrent.Future<PortReservation>> results = new java.util.ArrayList<>();
			for (int i = 0; i < racers; i++) {
				// One backend per racer, as if each were its own process.
				LinuxPortReservations racer = new LinuxPortReservations(this.sysctl.file(),
						this.sysctl.directory().resolve("x"), this.sysctl.stateDirectory());
				results.add(pool.submit(() -> {
					start.await();
					return racer.lookupOrCreatePersistent(Protocol.UDP, BLOCK);
				}));
			}
			start.countDown();
			List<PortReservation> reservations = new java.util.ArrayList<>();
			for (var result : results) {
				reservations.add(result.get(GuardTimeouts.seconds(30), java.util.concurrent.TimeUnit.SECONDS));
			}
			assertThat(reservations).filteredOn(PortReservation::createdByThisProcess).hasSize(1);
			assertThat(reservations).extracting(PortReservation::token).containsOnly(reservations.get(0).token());
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(read()).isEqualTo("40000-40007");
		assertThat(records()).hasSize(1);
	}

	@Test
	void racingProcessesCreateExactlyOnce() throws Exception {
		// Separate JVMs, so only the file lock (not the in-JVM lock) keeps their
		// read-merge-write apart.
		write("8080");
		Path start = this.sysctl.directory().resolve("start");
		List<Process> processes = new java.util.ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
						"-cp", System.getProperty("java.class.path"), LookupOrCreateProcess.class.getName(),
						this.sysctl.file().toString(), this.sysctl.stateDirectory().toString(), "40000-40007",
						start.toString())
					.redirectErrorStream(true)
					.start();
				processes.add(process);
			}
			List<java.io.BufferedReader> outputs = new java.util.ArrayList<>();
			for (Process process : processes) {
				outputs.add(new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream())));
				assertThat(outputs.get(outputs.size() - 1).readLine()).isEqualTo("ready");
			}
			Files.createFile(start);
			List<String> answers = new java.util.ArrayList<>();
			// All stay alive until every one answered: a block whose creator ended is
			// taken over by the next lookup, which is not what this race is about.
			for (java.io.BufferedReader output : outputs) {
				answers.add(String.valueOf(output.readLine()).strip());
			}
			for (Process process : processes) {
				process.getOutputStream().close();
				assertThat(process.waitFor(GuardTimeouts.seconds(30), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
				assertThat(process.exitValue()).as(answers.toString()).isZero();
			}
			assertThat(answers).filteredOn((answer) -> answer.startsWith("true ")).hasSize(1);
			String token = answers.get(0).split(" ")[1];
			assertThat(answers).allSatisfy((answer) -> assertThat(answer).endsWith(" " + token));
		}
		finally {
			processes.forEach(Process::destroyForcibly);
		}
		assertThat(read()).isEqualTo("8080,40000-40007");
		assertThat(records()).hasSize(1);
	}

	@Test
	void deletingAnUnknownBlockIsNotFound() throws IOException {
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.sysctl.backend().deletePersistent(Protocol.TCP, BLOCK))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.NOT_FOUND));
		this.sysctl.backend().createPersistent(Protocol.TCP, BLOCK).close();
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.sysctl.backend().deletePersistent(Protocol.UDP, BLOCK))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.NOT_FOUND));
		assertThat(read()).isEqualTo("40000-40007");
	}

	@Test
	void aRecordThatCannotBeWrittenLeavesTheListAsItWas() throws IOException {
		write("8080");
		Path namespace = this.sysctl.backend().stateDirectory();
		// A non-empty directory where the record goes makes the rename of the record fail
		// (directories are
		// reported, never moved aside).
		Files.createDirectories(namespace.resolve("tcp-40000-40007.properties").resolve("occupied"));
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.sysctl.backend().createPersistent(Protocol.TCP, BLOCK))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.SYSTEM_ERROR);
				assertThat(ex.getMessage()).contains("was not reserved");
			});
		assertThat(read()).isEqualTo("8080");
	}

	@Test
	void aDamagedRecordIsSetAsideAndReportedWithItsPath() throws IOException {
		this.sysctl.backend().createPersistent(Protocol.TCP, BLOCK).close();
		Path record = records().get(0);
		Files.writeString(record, "protocol=TCP\nblock=nonsense\n");
		assertThat(this.sysctl.backend().lookupPersistent(Protocol.TCP, BLOCK)).isEmpty();
		assertThat(record).doesNotExist();
		try (var aside = Files.list(this.sysctl.backend().stateDirectory())) {
			assertThat(aside.map((file) -> file.getFileName().toString()))
				.anyMatch((name) -> name.startsWith("tcp-40000-40007.properties.corrupt-"));
		}
		PortReservation reopened = this.sysctl.backend().lookupOrCreatePersistent(Protocol.TCP, BLOCK);
		assertThat(reopened.warnings()).singleElement().asString().contains(record.toString(), "set aside", "damaged");
	}

	@Test
	void anUnreadableListIsASystemError() throws IOException {
		write("80a");
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.sysctl.backend().createPersistent(Protocol.TCP, BLOCK))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.SYSTEM_ERROR);
				assertThat(ex.getMessage()).contains(this.sysctl.file().toString(), "'80a'");
			});
	}

	@Test
	void refusedWritesAreAccessDeniedWithTheWayOut() {
		List<IOException> refusals = List.of(new AccessDeniedException("/proc/sys/net/ipv4/ip_local_reserved_ports"),
				new FileSystemException("/proc/sys/net/ipv4/ip_local_reserved_ports", null, "Operation not permitted"),
				new IOException("Operation not permitted"),
				new FileSystemException("/proc/sys/net/ipv4/ip_local_reserved_ports", null, "Read-only file system"));
		List<Long> errnos = List.of(13L, 1L, 1L, 30L);
		for (int i = 0; i < refusals.size(); i++) {
			PortReservationException failure = LinuxErrors.stateFile(null, Protocol.TCP, BLOCK, null, "Writing failed",
					refusals.get(i));
			assertThat(failure.getReason()).isEqualTo(Reason.ACCESS_DENIED);
			assertThat(failure.getNativeCode()).contains(errnos.get(i));
			assertThat(failure.getMessage()).contains("CAP_NET_ADMIN", "a runtime block needs neither")
				.doesNotContain("portreservation.");
			assertThat(failure.getProblem()).contains(PortReservationException.Problem.NEEDS_PRIVILEGE);
		}
		assertThat(LinuxErrors
			.stateFile(null, Protocol.TCP, BLOCK, null, "Writing failed", new IOException("Invalid argument"))
			.getReason()).isEqualTo(Reason.SYSTEM_ERROR);
	}

	@Test
	void accessDeniedNamesThePathOnce() {
		String path = "/proc/sys/net/ipv4/ip_local_reserved_ports";
		for (IOException refusal : List.of(new AccessDeniedException(path),
				new FileSystemException(path, null, "Operation not permitted"))) {
			String message = LinuxErrors
				.stateFile(null, Protocol.TCP, BLOCK, null, "Writing " + path + " failed", refusal)
				.getMessage();
			assertThat(message.split(java.util.regex.Pattern.quote(path), -1)).as(message).hasSize(2);
			assertThat(message).startsWith("Writing " + path + " failed: ")
				.containsAnyOf("permission denied", "Operation not permitted");
		}
	}

	@Test
	void bindsGoToFreePortsOfThePersistentBlock() throws IOException {
		PortBlock block = freeBlock();
		try (PortReservation reservation = this.sysctl.backend().createPersistent(Protocol.TCP, block);
				var first = java.nio.channels.ServerSocketChannel.open();
				var second = java.nio.channels.ServerSocketChannel.open()) {
			int port = reservation.bind(first, java.net.InetAddress.getLoopbackAddress(), 0);
			assertThat(block.contains(port)).isTrue();
			assertThat(reservation.bind(second, java.net.InetAddress.getLoopbackAddress(), 0)).isNotEqualTo(port)
				.isBetween(block.startPort(), block.endPort());
		}
		finally {
			this.sysctl.backend().deletePersistent(Protocol.TCP, block);
		}
	}

	@Test
	void aRuntimeBlockOverReservedPortsConflicts() throws IOException {
		PortBlock block = freeBlock();
		write("8080," + block.endPort());
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.sysctl.backend().acquireRuntime(Protocol.TCP, block))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT);
				assertThat(ex.getMessage()).contains("Ports " + block.endPort() + " ", "persistent block")
					.doesNotContain("portreservation.");
				assertThat(ex.getProblem()).contains(PortReservationException.Problem.RESERVED_AS_PERSISTENT);
			});
		write("8080");
		this.sysctl.backend().acquireRuntime(Protocol.TCP, block).close();
	}

	private PortBlock freeBlock() {
		try (PortReservation probe = this.sysctl.backend().acquireRuntime(Protocol.TCP, 2)) {
			return probe.block();
		}
	}

	private void write(String list) throws IOException {
		Files.writeString(this.sysctl.file(), list);
	}

	private String read() throws IOException {
		return Files.readString(this.sysctl.file()).strip();
	}

	private List<Path> records() throws IOException {
		Path namespace = this.sysctl.backend().stateDirectory();
		if (!Files.isDirectory(namespace)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(namespace)) {
			return files.filter((file) -> file.toString().endsWith(".properties")).sorted().toList();
		}
	}

}
