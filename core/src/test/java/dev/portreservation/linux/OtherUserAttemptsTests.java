package dev.portreservation.linux;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.portreservation.test.GuardTimeout;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another real Unix user tries every way of taking a port of a held block
 * ({@link StrangerProbe}: 0.0.0.0, 127.0.0.1, ::, ::1; v6only off and on; with and
 * without SO_REUSEADDR and SO_REUSEPORT; bound and listening) and must get none: with the
 * block held by this (dual-stack) JVM, by a JVM started with
 * {@code -Djava.net.preferIPv4Stack=true}, and by holders bound beside leftover
 * connections of a previous server (which needed SO_REUSEADDR for their bind). Every
 * count is printed for the reliability table.
 */
@GuardTimeout(120)
class OtherUserAttemptsTests {

	private static final int PORTS = 8;

	private final LinuxPortReservations backend = new LinuxPortReservations();

	@RegisterExtension
	final ClosedAfterEach closeables = new ClosedAfterEach();

	@BeforeEach
	void requireAnotherUser() throws Exception {
		StrangerProbe.assumeAvailable();
	}

	@Test
	void anotherUserTakesNoPortOfBlocksHeldByADualStackJvm() throws Exception {
		PortBlock tcp = FreeBlocks.withoutConnections(this.backend, PORTS);
		track(this.backend.acquireRuntime(Protocol.TCP, tcp));
		PortBlock udp = FreeBlocks.withoutConnections(this.backend, PORTS);
		track(this.backend.acquireRuntime(Protocol.UDP, udp));
		assertNothingTaken("dual-stack JVM", Protocol.TCP, tcp);
		assertNothingTaken("dual-stack JVM", Protocol.UDP, udp);
	}

	@Test
	void anotherUserTakesNoPortOfBlocksHeldByAnIpv4OnlyJvm() throws Exception {
		PortBlock tcp = FreeBlocks.withoutConnections(this.backend, PORTS);
		PortBlock udp = FreeBlocks.withoutConnections(this.backend, PORTS);
		WorkerProcess worker = track(WorkerProcess.start(null, "-Djava.net.preferIPv4Stack=true"));
		assertThat(worker.send("hold tcp " + tcp.startPort() + " " + tcp.count())).startsWith("HELD");
		assertThat(worker.send("hold udp " + udp.startPort() + " " + udp.count())).startsWith("HELD");
		assertNothingTaken("JVM with -Djava.net.preferIPv4Stack=true", Protocol.TCP, tcp);
		assertNothingTaken("JVM with -Djava.net.preferIPv4Stack=true", Protocol.UDP, udp);
	}

	@Test
	void anotherUserTakesNoPortOfABlockHeldBesideLeftoverConnections() throws Exception {
		for (boolean throughBlock : new boolean[] { true, false }) {
			PortBlock block = FreeBlocks.withoutConnections(this.backend, PORTS);
			leaveFinWait2(block, throughBlock);
			track(this.backend.acquireRuntime(Protocol.TCP, block));
			assertNothingTaken("dual-stack JVM over FIN-WAIT-2 leftovers of a "
					+ (throughBlock ? "server bound through a block" : "plain server"), Protocol.TCP, block);
		}
	}

	@Test
	void anotherUserTakesNoPortOfABlockAnIpv4OnlyJvmHoldsBesideIpv6Leftovers() throws Exception {
		PortBlock block = FreeBlocks.withoutConnections(this.backend, PORTS);
		leaveFinWait2(block, false);
		WorkerProcess worker = track(WorkerProcess.start(null, "-Djava.net.preferIPv4Stack=true"));
		assertThat(worker.send("hold tcp " + block.startPort() + " " + block.count())).startsWith("HELD");
		assertNothingTaken("JVM with -Djava.net.preferIPv4Stack=true over FIN-WAIT-2 leftovers (IPv4 and IPv6)",
				Protocol.TCP, block);
	}

	private void assertNothingTaken(String holder, Protocol protocol, PortBlock block) throws Exception {
		StrangerProbe.Attempts attempts = StrangerProbe.tryToTake(protocol, block);
		System.out.printf("OTHER USER vs %s block of %d ports held by a %s: %d attempts, %d successes%n", protocol,
				block.count(), holder, attempts.attempts(), attempts.successes());
		assertThat(attempts.attempts()).isEqualTo(block.count() * ((protocol == Protocol.TCP) ? 48L : 24L));
		assertThat(attempts.taken()).as("%s block %s held by a %s", protocol, block, holder).isEmpty();
		assertThat(attempts.successes()).isZero();
	}

	/**
	 * A previous server on every port of the block (wildcard, so IPv4 and IPv6) leaves
	 * one connection per loopback family in FIN-WAIT-2: it closed them, the idle clients
	 * never do.
	 */
	private void leaveFinWait2(PortBlock block, boolean throughBlock) throws Exception {
		PortReservation previousBlock = throughBlock ? this.backend.acquireRuntime(Protocol.TCP, block) : null;
		for (int port = block.startPort(); port <= block.endPort(); port++) {
			try (ServerSocketChannel previous = ServerSocketChannel.open()) {
				if (previousBlock != null) {
					previousBlock.bind(previous, null, port);
				}
				else {
					previous.bind(new InetSocketAddress(port));
				}
				for (InetAddress address : List.of(InetAddress.getLoopbackAddress(), InetAddress.getByName("::1"))) {
					track(SocketChannel.open(new InetSocketAddress(address, port)));
					previous.accept().close();
				}
			}
		}
		if (previousBlock != null) {
			previousBlock.close();
		}
		for (int i = 0; i < 250 && !TcpSocketTable.states(block.endPort()).contains("FIN-WAIT-2"); i++) {
			Thread.sleep(20);
		}
		for (int port = block.startPort(); port <= block.endPort(); port++) {
			assertThat(TcpSocketTable.states(port)).as("port %d", port).containsExactly("FIN-WAIT-2");
		}
	}

	private <T extends AutoCloseable> T track(T closeable) {
		return this.closeables.track(closeable);
	}

}
