package dev.portreservation.linux;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.portreservation.test.GuardTimeout;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Two JVMs of the same user, both using this library: the second can never take a block
 * (or bind a port of it) that a live first one holds, whatever connection states the port
 * shows; once the first is gone, its leftover connections do not keep the block from the
 * next process.
 */
@GuardTimeout(120)
class RuntimeBlockProcessesTests {

	private final LinuxPortReservations backend = new LinuxPortReservations();

	@RegisterExtension
	final ClosedAfterEach closeables = new ClosedAfterEach();

	@Test
	void aSecondProcessCannotTakeABlockALiveProcessHoldsWhateverStatesItsPortShows() throws Exception {
		for (String state : List.of("TIME-WAIT", "FIN-WAIT-2")) {
			// One port: every port of the block shows the state, nothing else tells the
			// holder is alive.
			PortBlock block = FreeBlocks.withoutConnections(this.backend, 1);
			WorkerProcess first = track(WorkerProcess.start(null));
			assertThat(first.send("hold tcp " + block.startPort() + " " + block.count())).startsWith("HELD");
			leaveConnections(first, block.startPort(), state);
			assertThat(TcpSocketTable.states(block.startPort())).as("port %d", block.startPort())
				.containsExactly(state);
			// This JVM is the second process.
			assertThatExceptionOfType(PortReservationException.class).as("%s on port %d", state, block.startPort())
				.isThrownBy(() -> track(this.backend.acquireRuntime(Protocol.TCP, block)))
				.satisfies((ex) -> {
					assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT);
					assertThat(ex.getMessage()).contains("pid " + first.pid() + " (").contains("java");
				});
			// Nor can a third, or this one through any block overlapping the held one.
			WorkerProcess third = track(WorkerProcess.start(null));
			assertThat(third.send("hold tcp " + block.endPort() + " 1")).startsWith("FAILED CONFLICT");
			assertThatExceptionOfType(PortReservationException.class)
				.isThrownBy(() -> track(this.backend.acquireRuntime(Protocol.TCP, new PortBlock(block.endPort(), 2))))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT));
		}
	}

	@Test
	void afterTheHolderIsKilledItsLeftoversDoNotKeepTheBlockFromTheNextProcess() throws Exception {
		PortBlock block = FreeBlocks.withoutConnections(this.backend, 2);
		WorkerProcess first = track(WorkerProcess.start(null));
		assertThat(first.send("hold tcp " + block.startPort() + " " + block.count())).startsWith("HELD");
		leaveConnections(first, block.startPort(), "FIN-WAIT-2");
		first.kill();
		assertThat(TcpSocketTable.states(block.startPort())).containsExactly("FIN-WAIT-2");
		PortReservation next = track(this.backend.acquireRuntime(Protocol.TCP, block));
		ServerSocketChannel server = track(ServerSocketChannel.open());
		assertThat(next.bind(server, InetAddress.getLoopbackAddress(), block.startPort())).isEqualTo(block.startPort());
		try (SocketChannel client = SocketChannel
			.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), block.startPort()));
				SocketChannel accepted = server.accept()) {
			assertThat(accepted.isConnected()).isTrue();
		}
	}

	/**
	 * The worker serves two connections on the port through its block and closes them
	 * first; the clients either answer with their own close (the worker's ends go to
	 * TIME-WAIT) or stay idle (FIN-WAIT-2). The worker's server channel is closed
	 * afterwards: only its holders and the leftovers remain.
	 */
	private void leaveConnections(WorkerProcess worker, int port, String state) throws Exception {
		assertThat(worker.send("serve " + port + " 2")).isEqualTo("SERVING");
		for (InetAddress address : List.of(InetAddress.getLoopbackAddress(), InetAddress.getByName("::1"))) {
			SocketChannel client = track(SocketChannel.open(new InetSocketAddress(address, port)));
			if (state.equals("TIME-WAIT")) {
				client.read(ByteBuffer.allocate(1));
				client.close();
			}
		}
		assertThat(worker.next()).isEqualTo("CLOSED");
		for (int i = 0; i < 250 && !TcpSocketTable.states(port).equals(Set.of(state)); i++) {
			Thread.sleep(20);
		}
	}

	private <T extends AutoCloseable> T track(T closeable) {
		return this.closeables.track(closeable);
	}

}
