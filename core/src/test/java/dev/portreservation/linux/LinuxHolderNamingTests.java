package dev.portreservation.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;
import dev.portreservation.portable.PortablePortReservations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.portreservation.test.GuardTimeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static java.util.regex.Pattern.quote;
import static dev.portreservation.core.ExpectedFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failures caused by another process name that process (pid and command line), for every
 * way a process can have a port: a TCP listener on IPv4, on IPv6 and on the wildcard
 * address, a TCP connection, UDP sockets, and a runtime block of this library held by
 * another process (whose TCP holders do not show in {@code /proc/net/tcp}; the holder
 * registry names it). Each case is checked on every failure path that meets it: a runtime
 * block over the port, and a bind of the port (and of a full block) through a
 * reservation.
 */
@EnabledOnOs(OS.LINUX)
@GuardTimeout(60)
class LinuxHolderNamingTests {

	@TempDir
	Path temporary;

	@RegisterExtension
	final ClosedAfterEach closed = new ClosedAfterEach();

	private LinuxPortReservations backend;

	@BeforeEach
	void useTemporaryDirectories() {
		System.setProperty("portreservation.linux.runtime-directory", this.temporary.resolve("runtime").toString());
		this.backend = new LinuxPortReservations(this.temporary.resolve("state"));
	}

	@AfterEach
	void stop() throws InterruptedException {
		System.clearProperty("portreservation.linux.runtime-directory");
	}

	@Test
	void everySocketKindOfAnotherProcessIsNamedOnEveryConflict() throws Exception {
		PortBlock block = FreeBlocks.free(this.backend, 5);
		int first = block.startPort();
		long pid = startHolder("tcp-listen/127.0.0.1/" + first, "tcp-listen/::1/" + (first + 1),
				"tcp-listen/0.0.0.0/" + (first + 2), "tcp-connected/" + (first + 3), "udp/127.0.0.1/" + (first + 4),
				"udp/::1/" + (first + 4));
		String[] expected = { quote("listening on 127.0.0.1:" + first), quote("listening on [::1]:" + (first + 1)),
				// The JDK binds 0.0.0.0 as a dual-stack socket on :: where IPv6 is
				// available.
				"listening on (0\\.0\\.0\\.0|\\[::\\]):" + (first + 2), quote("connected on 127.0.0.1:" + (first + 3)),
				quote("bound on 127.0.0.1:" + (first + 4)) };
		for (int offset = 0; offset < block.count(); offset++) {
			int port = first + offset;
			Protocol protocol = (offset == 4) ? Protocol.UDP : Protocol.TCP;
			PortReservationException runtime = failure(
					() -> this.backend.acquireRuntime(protocol, new PortBlock(port, 1)));
			assertThat(runtime.getReason()).isEqualTo(Reason.CONFLICT);
			assertNamesHolder(runtime, pid, expected[offset]);
			try (PortReservation portable = new PortablePortReservations().acquireRuntime(protocol,
					new PortBlock(port, 1))) {
				PortReservationException bind = failure(() -> bindPort(portable, port));
				assertThat(bind.getReason()).isEqualTo(Reason.CONFLICT);
				assertNamesHolder(bind, pid, expected[offset]);
				PortReservationException full = failure(() -> bindPort(portable, 0));
				assertThat(full.getReason()).isEqualTo(Reason.EXHAUSTED);
				assertNamesHolder(full, pid, expected[offset]);
			}
		}
		assertNamesHolder(failure(() -> this.backend.acquireRuntime(Protocol.TCP, block)), pid, expected[0]);
	}

	@Test
	void aRuntimeBlockOfAnotherProcessIsNamedForEachOfItsPortsThroughTheRegistry() throws Exception {
		PortBlock block = FreeBlocks.free(this.backend, 4);
		Process worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), ReservationWorker.class.getName(), "runtime",
				this.temporary.resolve("state").toString(), Integer.toString(block.startPort()),
				Integer.toString(block.count()))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		this.closed.killed(worker);
		assertThat(firstLine(worker)).isEqualTo("HELD " + block);
		for (int port = block.startPort(); port <= block.endPort(); port++) {
			int wanted = port;
			PortReservationException conflict = failure(
					() -> this.backend.acquireRuntime(Protocol.TCP, new PortBlock(wanted, 1)));
			assertThat(conflict.getReason()).isEqualTo(Reason.CONFLICT);
			assertNamesHolder(conflict, worker.pid(), quote("holds it in its runtime TCP block " + block));
			// The process's own record (or its command line) names it.
			assertThat(conflict.getMessage()).contains("java");
			assertThat(conflict.getHolders()).singleElement()
				.satisfies((holder) -> assertThat(holder.block()).isEqualTo(block));
		}
	}

	private static void assertNamesHolder(PortReservationException failure, long pid, String howPattern) {
		assertThat(failure.getMessage()).contains("pid " + pid + " (").containsPattern(howPattern);
	}

	private static int bindPort(PortReservation reservation, int port) throws IOException {
		InetSocketAddress local = new InetSocketAddress(port);
		if (reservation.protocol() == Protocol.TCP) {
			try (ServerSocketChannel channel = ServerSocketChannel.open()) {
				return reservation.bind(channel, local, 0, "test");
			}
		}
		try (DatagramChannel channel = DatagramChannel.open()) {
			return reservation.bind(channel, local, "test");
		}
	}

	private long startHolder(String... sockets) throws IOException {
		Process process = PortHoldingProcess.startReady(sockets);
		this.closed.killed(process);
		return process.pid();
	}

	static String firstLine(Process process) throws IOException {
		BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		return String.valueOf(reader.readLine());
	}

}
