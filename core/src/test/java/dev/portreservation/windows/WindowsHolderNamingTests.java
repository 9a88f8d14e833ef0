package dev.portreservation.windows;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;
import dev.portreservation.linux.PortHoldingProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import dev.portreservation.test.GuardTimeouts;

import static java.util.regex.Pattern.quote;
import static dev.portreservation.core.ExpectedFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * On the Windows API simulator, failures caused by another process's sockets name that
 * process (pid from {@code GetExtendedTcpTable} / {@code GetExtendedUdpTable}, IPv4 and
 * IPv6): a runtime reservation over its ports, a bind of one of its ports through a
 * persistent block, and a persistent block it fills.
 */
@GuardTimeout(60)
class WindowsHolderNamingTests {

	private final List<Process> processes = new ArrayList<>();

	private WindowsPortReservations backend;

	@BeforeEach
	void simulator() {
		WindowsSimulator.assumeAvailable();
		WindowsSimulator.reset(true);
		this.backend = WindowsSimulator.backend();
	}

	@AfterEach
	void stop() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroyForcibly().waitFor(GuardTimeouts.seconds(10), TimeUnit.SECONDS);
		}
		WindowsSimulator.reset(true);
	}

	@Test
	void everySocketKindOfAnotherProcessIsNamedWhenARuntimeReservationConflicts() throws Exception {
		PortBlock block = WindowsSimulator.freeBlock(this.backend, 5);
		int first = block.startPort();
		long pid = startHolder("tcp-listen/127.0.0.1/" + first, "tcp-listen/::1/" + (first + 1),
				"tcp-connected/" + (first + 2), "udp/127.0.0.1/" + (first + 3), "udp/::1/" + (first + 4));
		String[] expected = { "listening on 127.0.0.1:" + first, "listening on [0:0:0:0:0:0:0:1]:" + (first + 1),
				"connected on 127.0.0.1:" + (first + 2), "bound on 127.0.0.1:" + (first + 3),
				"bound on [0:0:0:0:0:0:0:1]:" + (first + 4) };
		for (int offset = 0; offset < block.count(); offset++) {
			int port = first + offset;
			Protocol protocol = (offset >= 3) ? Protocol.UDP : Protocol.TCP;
			PortReservationException conflict = failure(
					() -> this.backend.acquireRuntime(protocol, new PortBlock(port, 1)));
			assertThat(conflict.getReason()).isEqualTo(Reason.CONFLICT);
			assertThat(conflict.getMessage()).contains("pid " + pid + " (", PortHoldingProcess.class.getName())
				.containsPattern(quote(expected[offset]));
		}
	}

	@Test
	void portsOfAPersistentBlockTakenByAnotherProcessAreNamedOnBind() throws Exception {
		PortBlock block = WindowsSimulator.freeBlock(this.backend, 2);
		try (PortReservation persistent = this.backend.createPersistent(Protocol.TCP, block)) {
			// The simulator cannot keep sockets that were not associated off a block (see
			// winsim.c).
			long pid = startHolder("tcp-listen/127.0.0.1/" + block.startPort(),
					"tcp-listen/127.0.0.1/" + block.endPort());
			PortReservationException conflict = failure(() -> {
				try (ServerSocketChannel channel = ServerSocketChannel.open()) {
					persistent.bind(channel, new InetSocketAddress(block.startPort()), 0, "test");
				}
			});
			assertThat(conflict.getReason()).isEqualTo(Reason.CONFLICT);
			assertThat(conflict.getMessage()).contains("pid " + pid + " (",
					"listening on 127.0.0.1:" + block.startPort());
			PortReservationException full = failure(() -> {
				try (ServerSocketChannel channel = ServerSocketChannel.open()) {
					persistent.bind(channel, new InetSocketAddress(0), 0, "test");
				}
			});
			assertThat(full.getReason()).isEqualTo(Reason.EXHAUSTED);
			assertThat(full.getMessage()).contains("pid " + pid + " (", "listening on 127.0.0.1:" + block.endPort());
		}
		finally {
			this.backend.deletePersistent(Protocol.TCP, block);
		}
	}

	private long startHolder(String... sockets) throws IOException {
		Process process = PortHoldingProcess.startReady(sockets);
		this.processes.add(process);
		return process.pid();
	}

}
