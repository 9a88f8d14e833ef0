package dev.portreservation.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import dev.portreservation.test.GuardTimeouts;
import org.junit.jupiter.api.io.TempDir;

import dev.portreservation.core.PortBlock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several processes against one kernel, in a private network namespace (the child JVMs
 * inherit it): a persistent block shared by eight processes, and what a {@code kill -9}
 * leaves behind.
 */
@GuardTimeout(120)
class LinuxMultiProcessInNetnsTests {

	private static final Path RESERVED_PORTS = LinuxPortReservations.RESERVED_PORTS;

	@TempDir
	Path stateDirectory;

	private final List<Process> workers = new ArrayList<>();

	private String reservedBefore;

	@BeforeEach
	void requirePrivateNetworkNamespace() throws IOException {
		PrivateNetworkNamespace.require();
		this.reservedBefore = ProcFile.read(RESERVED_PORTS);
	}

	@AfterEach
	void stopWorkers() throws Exception {
		for (Process worker : this.workers) {
			worker.destroyForcibly();
			worker.waitFor(GuardTimeouts.seconds(10), TimeUnit.SECONDS);
		}
	}

	@Test
	void eightProcessesShareOnePersistentBlockWithoutHandingOutAPortTwice() throws Exception {
		PortBlock block = new PortBlock(42100, 6);
		List<CompletableFuture<String>> lines = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			lines.add(firstLine(start("persistent", block)));
		}
		List<String> results = new ArrayList<>();
		for (CompletableFuture<String> line : lines) {
			results.add(line.get(GuardTimeouts.seconds(60), TimeUnit.SECONDS));
		}
		List<String> bound = results.stream().filter((line) -> line.startsWith("BOUND ")).toList();
		List<String> failed = results.stream().filter((line) -> line.startsWith("FAILED ")).toList();
		assertThat(bound).as("results %s", results).hasSize(6);
		assertThat(failed).as("results %s", results).hasSize(2).allMatch((line) -> line.startsWith("FAILED EXHAUSTED"));
		List<Integer> ports = bound.stream().map((line) -> Integer.parseInt(line.split(" ")[1])).toList();
		assertThat(ports).doesNotHaveDuplicates().allMatch(block::contains);
		assertThat(bound.stream().filter((line) -> line.endsWith(" true"))).as("exactly one process created it")
			.hasSize(1);
		assertThat(reservedEntries()).containsOnlyOnce(block.toString());
		deleteAndFindTheSysctlAsBefore(block);
	}

	@Test
	void aKilledHolderOfAPersistentBlockIsFollowedByOneThatReusesIt() throws Exception {
		PortBlock block = new PortBlock(42200, 4);
		Process first = start("persistent", block);
		assertThat(firstLine(first).get(GuardTimeouts.seconds(60), TimeUnit.SECONDS)).startsWith("BOUND ")
			.endsWith(" true");
		first.destroyForcibly();
		assertThat(first.waitFor(GuardTimeouts.seconds(10), TimeUnit.SECONDS)).isTrue();
		for (int restart = 0; restart < 2; restart++) {
			Process next = start("persistent", block);
			// It finds the block, and takes the killed creator's place (so a run that
			// deletes what it created on shutdown cleans up the leftover).
			assertThat(firstLine(next).get(GuardTimeouts.seconds(60), TimeUnit.SECONDS)).as("restart %d", restart)
				.startsWith("BOUND ")
				.endsWith(" true");
			next.destroyForcibly();
			next.waitFor(GuardTimeouts.seconds(10), TimeUnit.SECONDS);
		}
		assertThat(reservedEntries()).containsOnlyOnce(block.toString());
		assertThat(records()).singleElement().satisfies((record) -> assertThat(record).contains("42200"));
		deleteAndFindTheSysctlAsBefore(block);
	}

	@Test
	void aKilledHolderOfARuntimeBlockLeavesNothingBehind() throws Exception {
		PortBlock block = new PortBlock(42300, 4);
		Process worker = start("runtime", block);
		assertThat(firstLine(worker).get(GuardTimeouts.seconds(60), TimeUnit.SECONDS)).isEqualTo("HELD " + block);
		assertThat(bindable(block.startPort())).as("held by the worker").isFalse();
		worker.destroyForcibly();
		assertThat(worker.waitFor(GuardTimeouts.seconds(10), TimeUnit.SECONDS)).isTrue();
		for (int port = block.startPort(); port <= block.endPort(); port++) {
			assertThat(bindable(port)).as("port %d after kill -9", port).isTrue();
		}
		assertThat(ProcFile.read(RESERVED_PORTS)).isEqualTo(this.reservedBefore);
		assertThat(records()).as("a runtime block writes no record").isEmpty();
	}

	/**
	 * Deletes the TCP block as a later run of the application would, and checks that the
	 * kernel's list is as it was before the test.
	 */
	private void deleteAndFindTheSysctlAsBefore(PortBlock block) throws IOException {
		new LinuxPortReservations(this.stateDirectory).deletePersistent(dev.portreservation.core.Protocol.TCP, block);
		assertThat(ProcFile.read(RESERVED_PORTS)).isEqualTo(this.reservedBefore);
	}

	private Process start(String kind, PortBlock block) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				ReservationWorker.class.getName(), kind, this.stateDirectory.toString(),
				Integer.toString(block.startPort()), Integer.toString(block.count()))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		this.workers.add(process);
		return process;
	}

	private static CompletableFuture<String> firstLine(Process process) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				BufferedReader reader = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
				String line = reader.readLine();
				return (line != null) ? line : "EXITED " + process.waitFor();
			}
			catch (IOException | InterruptedException ex) {
				return "ERROR " + ex;
			}
		});
	}

	private List<String> records() throws IOException {
		try (var files = Files.walk(this.stateDirectory)) {
			return files.filter(Files::isRegularFile)
				.map((path) -> path.getFileName().toString())
				.filter((name) -> name.startsWith("tcp-") || name.startsWith("udp-"))
				.toList();
		}
	}

	private static List<String> reservedEntries() throws IOException {
		return Arrays.stream(ProcFile.read(RESERVED_PORTS).strip().split(",")).map(String::strip).toList();
	}

	private static boolean bindable(int port) {
		try (ServerSocketChannel channel = ServerSocketChannel.open()) {
			channel.bind(new InetSocketAddress("127.0.0.1", port));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
