package dev.portreservation.linux;

import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.Protocol;
import dev.portreservation.test.GuardTimeout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A holder is named by what it runs, read in full from {@code /proc/PID/cmdline}: a JVM
 * whose command line is 20,000 characters of options and class path before its main class
 * (as {@code spring-boot:run} and IDEs start them) shows as {@code java <main class>} in
 * the look-up and in a CONFLICT message; and the look-up lists only holders in this
 * network namespace (a process in a namespace of its own holds other ports, which do not
 * collide with ours).
 */
@EnabledOnOs(OS.LINUX)
@GuardTimeout(120)
class HolderCommandLineAndNamespaceTests {

	private static final String MAIN_CLASS = HolderWorker.class.getName();

	@TempDir
	Path temporary;

	private LinuxPortReservations backend;

	@BeforeEach
	void useTemporaryStateDirectory() {
		// The runtime directory is the user's own (it depends on the uid alone).
		this.backend = new LinuxPortReservations(this.temporary.resolve("state"));
	}

	@Test
	void aJvmIsNamedByItsMainClassHoweverLongItsCommandLine() throws Exception {
		PortBlock block = FreeBlocks.free(this.backend, 2);
		try (WorkerProcess worker = WorkerProcess.start(null, "-Dpadding=" + "x".repeat(20_000))) {
			assertThat(worker.send("hold tcp " + block.startPort() + " 2")).startsWith("HELD ");
			// Listens until one connection came (made at the end).
			assertThat(worker.send("serve " + block.startPort() + " 1")).isEqualTo("SERVING");
			LinuxPortHolders holders = new LinuxPortHolders(new HolderRecords(
					Map.of(RegistryLocations.directoryOf(worker.pid() + ".holders"), HolderRegistryFiles.ownUid())));
			List<PortHolder> found = holders.find(Protocol.TCP, block.startPort());
			assertThat(found).filteredOn((holder) -> holder.pid() == worker.pid())
				.extracting(PortHolder::kind, PortHolder::shortCommand)
				.containsExactlyInAnyOrder(
						org.assertj.core.groups.Tuple.tuple(PortHolder.Kind.SOCKET, "java " + MAIN_CLASS),
						org.assertj.core.groups.Tuple.tuple(PortHolder.Kind.RUNTIME_BLOCK, "java " + MAIN_CLASS));
			PortReservationException conflict = catchThrowableOfType(PortReservationException.class,
					() -> this.backend.acquireRuntime(Protocol.TCP, new PortBlock(block.startPort() + 1, 1)));
			assertThat(conflict.getMessage()).contains("held by another live process using this library")
				.contains("held by pid " + worker.pid() + " (java " + MAIN_CLASS + ")");
			try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", block.startPort()))) {
				assertThat(worker.next()).isEqualTo("CLOSED");
			}
		}
	}

	@Test
	void holdersInAnotherNetworkNamespaceAreNotListed() throws Exception {
		assumeThat(new ProcessBuilder("unshare", "-n", "true").start().waitFor()).as("unshare -n works (root)")
			.isZero();
		PortBlock block = FreeBlocks.free(this.backend, 2);
		try (WorkerProcess elsewhere = WorkerProcess.startUnder(List.of("unshare", "-n"));
				WorkerProcess here = WorkerProcess.start(null)) {
			assertThat(elsewhere.send("hold tcp " + block.startPort() + " 2")).startsWith("HELD ");
			assertThat(here.send("hold tcp " + block.startPort() + " 1")).startsWith("HELD ");
			HolderRecords records = new HolderRecords(
					Map.of(RegistryLocations.directoryOf(here.pid() + ".holders"), HolderRegistryFiles.ownUid()));
			assertThat(records.live()).extracting(HolderRecords.Record::pid)
				.as("both processes are in the registry")
				.contains(elsewhere.pid(), here.pid());
			assertThat(new LinuxPortHolders(records).find(Protocol.TCP, block.startPort())).extracting(PortHolder::pid)
				.as("holders of TCP port %d seen from this network namespace", block.startPort())
				.contains(here.pid())
				.doesNotContain(elsewhere.pid());
		}
	}

}
