package dev.portreservation.linux;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.portreservation.core.LentPort;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The kernel's socket list ({@code NETLINK_SOCK_DIAG}) as the backend reads it: a live
 * socket has an inode, a leftover has none, this process's sockets are told from others'
 * by {@code /proc/self/fd}; bound-only TCP sockets are listed on Linux 6.5 and later. And
 * the fallback ({@value KernelSockets#PROPERTY}{@code =false}, what an older kernel
 * gives): exactly what it cannot see.
 */
class KernelSocketsTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private final LinuxPortReservations backend = new LinuxPortReservations();

	@Test
	void liveSocketsHaveInodesAndLeftoversHaveNone() throws Exception {
		Assumptions.assumeTrue(KernelSockets.listsBoundOnly(), "the kernel lists no bound-only TCP sockets (< 6.5)");
		int port = FreeBlocks.withoutConnections(this.backend, 1).startPort();
		try (SocketChannel bound = SocketChannel.open()) {
			bound.bind(new InetSocketAddress(LOOPBACK, port));
			KernelSockets.Listing listing = KernelSockets.read(Protocol.TCP, new PortBlock(port, 1));
			assertThat(listing.complete()).isTrue();
			assertThat(listing.entries()).singleElement().satisfies((entry) -> {
				assertThat(entry.state()).isEqualTo("BOUND");
				assertThat(entry.localAddress()).isEqualTo("127.0.0.1");
				assertThat(entry.inode()).isNotZero();
				assertThat(entry.uid()).isEqualTo(Uids.effective());
			});
			assertThat(listing.ours(KernelSockets.ownInodes())).hasSize(1);
			assertThat(listing.foreign(KernelSockets.ownInodes())).isEmpty();
		}
		// A server that closes first leaves TIME_WAIT: listed, no inode, nobody's.
		try (ServerSocketChannel server = ServerSocketChannel.open()) {
			server.bind(new InetSocketAddress(LOOPBACK, port));
			try (SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
				server.accept().close();
				client.read(ByteBuffer.allocate(1));
			}
		}
		List<ProcNetSockets.Entry> left = KernelSockets.read(Protocol.TCP, new PortBlock(port, 1)).entries();
		assertThat(left).isNotEmpty().allSatisfy((entry) -> {
			assertThat(entry.state()).isEqualTo("TIME_WAIT");
			assertThat(entry.inode()).isZero();
		});
		assertThat(KernelSockets.read(Protocol.TCP, new PortBlock(port, 1)).foreign(Set.of())).isEmpty();
	}

	@Test
	void udpSocketsAreListedEitherWay() throws Exception {
		int port = FreeBlocks.free(this.backend, 1).startPort();
		try (DatagramChannel udp = DatagramChannel.open()) {
			udp.bind(new InetSocketAddress(LOOPBACK, port));
			for (String useSockDiag : new String[] { "true", "false" }) {
				System.setProperty(KernelSockets.PROPERTY, useSockDiag);
				try {
					KernelSockets.Listing listing = KernelSockets.read(Protocol.UDP, new PortBlock(port, 1));
					assertThat(listing.complete()).isTrue();
					assertThat(listing.ours(KernelSockets.ownInodes())).as("sock-diag " + useSockDiag).hasSize(1);
				}
				finally {
					System.clearProperty(KernelSockets.PROPERTY);
				}
			}
		}
	}

	/**
	 * The fallback sees listening and connected TCP sockets only: a component that
	 * listens on a lent port is seen, another user's listener is a CONFLICT, but another
	 * user's socket that is only bound is invisible, to {@link LentPort#verify()} and to
	 * a hold beside leftovers alike.
	 */
	@Test
	void theFallbackCannotSeeBoundOnlyTcpSockets() throws Exception {
		System.setProperty(KernelSockets.PROPERTY, "false");
		try (Attacker attacker = Attacker.otherUser();
				PortReservation reservation = this.backend.acquireRuntime(Protocol.TCP, 1)) {
			assertThat(KernelSockets.listsBoundOnly()).isFalse();
			assertThat(KernelSockets.read(Protocol.TCP, reservation.block()).complete()).isFalse();
			LentPort lent = reservation.lend("component");
			assertThat(lent.verify()).as("the holder is invisible, nothing else is there").isFalse();
			assertThat(attacker.bind("tcp", "127.0.0.1", lent.port(), true, false)).isTrue();
			assertThat(lent.verify()).as("another user's bound-only socket: not seen by the fallback").isFalse();
			attacker.closeSockets();
			assertThat(attacker.bind("tcp-listen", "127.0.0.1", lent.port(), true, false)).isTrue();
			PortReservationException conflict = catchThrowableOfType(PortReservationException.class, lent::verify);
			assertThat(conflict).as("another user's listener").isNotNull();
			assertThat(conflict.getReason()).isEqualTo(Reason.CONFLICT);
			attacker.closeSockets();
			try (ServerSocketChannel component = ServerSocketChannel.open()) {
				component.bind(new InetSocketAddress(LOOPBACK, lent.port()));
				assertThat(lent.verify()).as("the component listens").isTrue();
			}
		}
		finally {
			System.clearProperty(KernelSockets.PROPERTY);
		}
	}

	@Test
	void theFallbackStillRefusesAHoldBesideAnotherUsersListener() throws Exception {
		System.setProperty(KernelSockets.PROPERTY, "false");
		try (Attacker attacker = Attacker.otherUser()) {
			int port = FreeBlocks.free(this.backend, 1).startPort();
			assertThat(attacker.bind("tcp-listen", "127.0.0.1", port, true, false)).isTrue();
			assertThatExceptionOfType(PortReservationException.class)
				.isThrownBy(() -> this.backend.acquireRuntime(Protocol.TCP, new PortBlock(port, 1)))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT));
		}
		finally {
			System.clearProperty(KernelSockets.PROPERTY);
		}
	}

}
