package dev.portreservation.linux;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
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
import static org.assertj.core.api.Assertions.fail;

/**
 * A restart on the same fixed block: the previous server (bound through a block, so with
 * {@code SO_REUSEPORT}, or a plain server without the starter) leaves connections on its
 * port in {@code TIME-WAIT}, {@code FIN-WAIT-2}, {@code CLOSE-WAIT} or {@code LAST-ACK},
 * over IPv4 and IPv6. The block must be held again at once and serve, exactly as a plain
 * server could bind, and the port must still be refused to a socket of the same user that
 * does not opt into sharing; a live listener still makes the hold fail.
 */
@GuardTimeout(60)
class RestartOverLeftoversTests {

	private static final InetAddress IPV4 = InetAddress.getLoopbackAddress();

	private final LinuxPortReservations backend = new LinuxPortReservations();

	@RegisterExtension
	final ClosedAfterEach closeables = new ClosedAfterEach();

	@Test
	void everyLeftoverStateOfEitherKindOfPreviousServerAllowsAnImmediateRestart() throws Exception {
		List<String> failures = new ArrayList<>();
		int restarts = 0;
		for (Leftover leftover : Leftover.values()) {
			for (boolean throughBlock : new boolean[] { true, false }) {
				PortBlock block = FreeBlocks.withoutConnections(this.backend, 1);
				int port = block.startPort();
				leaveConnections(port, throughBlock, leftover);
				String what = leftover + " after a " + (throughBlock ? "server bound through a block" : "plain server")
						+ " on port " + port + " " + TcpSocketTable.states(port);
				restarts++;
				try {
					PortReservation again = track(this.backend.acquireRuntime(Protocol.TCP, block));
					ServerSocketChannel server = track(ServerSocketChannel.open());
					assertThat(again.bind(server, null, 0)).isEqualTo(port);
					serveOneConnection(server, port);
					assertStrangerRefused(port);
				}
				catch (PortReservationException | IOException | AssertionError ex) {
					failures.add(what + ": " + ex);
				}
			}
		}
		assertThat(failures).as("%d of %d restarts failed", failures.size(), restarts).isEmpty();
	}

	@Test
	void aLiveListenerStillMakesTheHoldFail() throws Exception {
		for (boolean reuseAddress : new boolean[] { true, false }) {
			PortBlock block = FreeBlocks.withoutConnections(this.backend, 2);
			int port = block.endPort();
			ServerSocketChannel live = track(ServerSocketChannel.open());
			live.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
			live.bind(new InetSocketAddress(IPV4, port));
			assertThatExceptionOfType(PortReservationException.class)
				.isThrownBy(() -> track(this.backend.acquireRuntime(Protocol.TCP, block)))
				.satisfies((ex) -> {
					assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT);
					assertThat(ex.getMessage()).contains("Port " + port).contains("LISTEN");
				});
		}
	}

	/**
	 * Runs a previous server on the port with one connection per loopback family and
	 * leaves those connections in the given state, the server's listening socket closed.
	 */
	private void leaveConnections(int port, boolean throughBlock, Leftover leftover) throws Exception {
		ServerSocketChannel previous = ServerSocketChannel.open();
		PortReservation previousBlock = null;
		if (throughBlock) {
			previousBlock = this.backend.acquireRuntime(Protocol.TCP, new PortBlock(port, 1));
			previousBlock.bind(previous, null, 0);
		}
		else {
			previous.bind(new InetSocketAddress(port));
		}
		for (InetAddress address : List.of(IPV4, InetAddress.getByName("::1"))) {
			SocketChannel client = SocketChannel.open();
			client.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
			this.closeables.add(client);
			client.connect(new InetSocketAddress(address, port));
			SocketChannel accepted = previous.accept();
			leftover.leave(client, accepted, this.closeables);
		}
		previous.close();
		if (previousBlock != null) {
			previousBlock.close();
		}
		// The last segments cross loopback asynchronously: give the states a bounded time
		// (5 s) to settle.
		for (int i = 0; i < 250 && !TcpSocketTable.states(port).equals(Set.of(leftover.state)); i++) {
			Thread.sleep(20);
		}
		assertThat(TcpSocketTable.states(port)).as("%s left on port %d", leftover, port)
			.containsExactly(leftover.state);
	}

	private static void serveOneConnection(ServerSocketChannel server, int port) throws IOException {
		try (SocketChannel client = SocketChannel.open(new InetSocketAddress(IPV4, port));
				SocketChannel accepted = server.accept()) {
			accepted.write(ByteBuffer.wrap(new byte[] { 7 }));
			ByteBuffer one = ByteBuffer.allocate(1);
			client.read(one);
			assertThat(one.get(0)).isEqualTo((byte) 7);
		}
	}

	private static void assertStrangerRefused(int port) throws IOException {
		for (InetSocketAddress address : List.of(new InetSocketAddress(IPV4, port), new InetSocketAddress(port))) {
			for (boolean reuseAddress : new boolean[] { true, false }) {
				try (ServerSocketChannel stranger = ServerSocketChannel.open()) {
					stranger.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
					stranger.bind(address);
					fail("a socket without SO_REUSEPORT bound %s (SO_REUSEADDR %s) beside the holder", address,
							reuseAddress);
				}
				catch (BindException expected) {
					// Refused, as it must be.
				}
			}
		}
	}

	private <T extends AutoCloseable> T track(T closeable) {
		return this.closeables.track(closeable);
	}

	/** What the previous server's connections are left in, and how. */
	private enum Leftover {

		/** The server closed first and the client answered with its own close. */
		TIME_WAIT("TIME-WAIT") {
			@Override
			void leave(SocketChannel client, SocketChannel accepted, ClosedAfterEach keep) throws IOException {
				accepted.close();
				client.read(ByteBuffer.allocate(1));
				client.close();
			}
		},

		/** The server closed; an idle keep-alive client never closes its end. */
		FIN_WAIT_2("FIN-WAIT-2") {
			@Override
			void leave(SocketChannel client, SocketChannel accepted, ClosedAfterEach keep) throws IOException {
				accepted.close();
			}
		},

		/**
		 * The client closed; the server's end is still open (a server stopping while its
		 * connections drain).
		 */
		CLOSE_WAIT("CLOSE-WAIT") {
			@Override
			void leave(SocketChannel client, SocketChannel accepted, ClosedAfterEach keep) throws IOException {
				keep.add(accepted);
				client.close();
			}
		},

		/**
		 * The client shut its output and stopped reading; the server filled the client's
		 * window, then closed: its FIN waits behind unsent data.
		 */
		LAST_ACK("LAST-ACK") {
			@Override
			void leave(SocketChannel client, SocketChannel accepted, ClosedAfterEach keep) throws IOException {
				client.shutdownOutput();
				accepted.read(ByteBuffer.allocate(1));
				accepted.configureBlocking(false);
				ByteBuffer data = ByteBuffer.allocate(64 * 1024);
				while (accepted.write(data.clear()) > 0) {
					// Fill the send buffer and the client's receive window.
				}
				accepted.close();
			}
		};

		private final String state;

		Leftover(String state) {
			this.state = state;
		}

		abstract void leave(SocketChannel client, SocketChannel accepted, ClosedAfterEach keep) throws IOException;

	}

}
