package dev.portreservation.linux;

import dev.portreservation.test.GuardTimeouts;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.portreservation.core.LentPort;
import dev.portreservation.core.LoopbackHttp;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Ports lent to components that bind a port number themselves, on Linux runtime blocks: a
 * real JDK {@link HttpServer} on every port of the block, the holder kept until the
 * component listens, the port held exclusively again once given back, and outgoing
 * connections never handed a lent port.
 */
class LinuxLentPortTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private final LinuxPortReservations backend = new LinuxPortReservations();

	@RegisterExtension
	final ClosedAfterEach resources = new ClosedAfterEach();

	@Test
	void everyPortOfTheBlockIsLentOnceAndAThirdPartyServerListensOnItBesideItsHolder() throws Exception {
		RuntimeBlockReservation reservation = tcpBlock(5);
		PortBlock block = reservation.block();
		Set<Integer> lentPorts = new HashSet<>();
		List<HttpServer> servers = new ArrayList<>();
		for (int i = 0; i < block.count(); i++) {
			LentPort lent = reservation.lend("mock-" + i);
			assertThat(block.contains(lent.port())).isTrue();
			assertThat(lentPorts.add(lent.port())).as("port %d lent twice", lent.port()).isTrue();
			// Held before the component binds: a socket that does not ask to share is
			// refused.
			assertThatExceptionOfType(BindException.class).as("exclusive bind of lent port %d", lent.port())
				.isThrownBy(() -> bindExclusively(lent.port()));
			servers.add(startHttpServer(lent.port(), "mock-" + i));
		}
		assertThat(reservation.heldPorts()).as("no holder was closed to let the servers in").hasSize(block.count());
		for (int i = 0; i < servers.size(); i++) {
			int port = servers.get(i).getAddress().getPort();
			assertThat(LoopbackHttp.get(port)).isEqualTo("mock-" + i);
			// Listening now: even a socket that asks to share is refused.
			assertThatExceptionOfType(BindException.class).as("shared bind of listening port %d", port)
				.isThrownBy(() -> bindSharing(port));
		}
		assertThat(reservation.leases()).extracting(PortLease::owner)
			.containsExactlyInAnyOrder("mock-0", "mock-1", "mock-2", "mock-3", "mock-4");
		assertThatExceptionOfType(PortReservationException.class).as("a bind through the block never takes a lent port")
			.isThrownBy(() -> reservation.bind(track(ServerSocketChannel.open()), LOOPBACK, 0))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.EXHAUSTED));
	}

	@Test
	void aPortGivenBackIsHeldExclusivelyAgainAndCanBeLentAgain() throws Exception {
		RuntimeBlockReservation reservation = tcpBlock(3);
		for (int round = 0; round < 2; round++) {
			List<LentPort> lent = new ArrayList<>();
			for (int i = 0; i < reservation.block().count(); i++) {
				LentPort port = reservation.lend("round-" + round);
				HttpServer server = startHttpServer(port.port(), "x");
				server.stop(0);
				port.close();
				lent.add(port);
			}
			assertThat(reservation.leases()).isEmpty();
			for (LentPort port : lent) {
				assertThat(port.isOpen()).isFalse();
				// The holder shares with SO_REUSEADDR only while the port is lent.
				assertThatExceptionOfType(BindException.class).as("shared bind of returned port %d", port.port())
					.isThrownBy(() -> bindSharing(port.port()));
			}
		}
		assertThat(reservation.heldPorts()).hasSize(reservation.block().count());
	}

	/**
	 * The window that remains on a lent TCP port, stated in docs/linux.md: until the
	 * component listens, a socket that sets {@code SO_REUSEADDR} and binds that port
	 * explicitly is let in beside the holder; one without it is not. Once the component
	 * listens, neither is.
	 */
	@Test
	void untilTheComponentListensOnlyAnExplicitSharingBindCanJoinTheLentPort() throws Exception {
		RuntimeBlockReservation reservation = tcpBlock(1);
		LentPort lent = reservation.lend("component");
		assertThatExceptionOfType(BindException.class).isThrownBy(() -> bindExclusively(lent.port()));
		ServerSocketChannel intruder = bindSharing(lent.port());
		intruder.close();
		startHttpServer(lent.port(), "component");
		assertThatExceptionOfType(BindException.class).isThrownBy(() -> bindSharing(lent.port()));
		assertThatExceptionOfType(BindException.class).isThrownBy(() -> bindExclusively(lent.port()));
	}

	@Test
	void aComponentThatDoesNotShareBindsAfterTheHandOffAndThePortIsHeldAgainWhenReturned() throws Exception {
		RuntimeBlockReservation reservation = tcpBlock(2);
		LentPort lent = reservation.lend("strict");
		assertThatExceptionOfType(BindException.class).isThrownBy(() -> bindExclusively(lent.port()));
		lent.handOff();
		lent.handOff();
		assertThat(reservation.heldPorts()).doesNotContain(lent.port());
		ServerSocketChannel component = bindExclusively(lent.port());
		component.close();
		lent.close();
		assertThat(reservation.heldPorts()).contains(lent.port());
		assertThatExceptionOfType(BindException.class).isThrownBy(() -> bindSharing(lent.port()));
	}

	/**
	 * Measures (prints, asserts nothing about time) how long a handed-off port is held by
	 * no socket when the component binds right after {@link LentPort#handOff()}: the gap
	 * between the holder's close and the component's bind, over many rounds.
	 */
	@Test
	void handOffWindowIsMeasured() throws Exception {
		RuntimeBlockReservation reservation = tcpBlock(1);
		int rounds = 500;
		long[] gaps = new long[rounds];
		for (int i = 0; i < rounds; i++) {
			LentPort lent = reservation.lend("measured");
			long start = System.nanoTime();
			lent.handOff();
			ServerSocketChannel component = bindExclusively(lent.port());
			gaps[i] = System.nanoTime() - start;
			component.close();
			lent.close();
			assertThat(reservation.heldPorts()).containsExactly(lent.port());
		}
		java.util.Arrays.sort(gaps);
		System.out.printf(
				"hand-off window (holder closed -> component bound), %d rounds: median %.1f us, "
						+ "p99 %.1f us, max %.1f us%n",
				rounds, gaps[rounds / 2] / 1000.0, gaps[rounds * 99 / 100] / 1000.0, gaps[rounds - 1] / 1000.0);
	}

	@Test
	void aLentUdpPortStaysHeldUntilTheHandOff() throws Exception {
		PortReservation reservation = track(this.backend.acquireRuntime(Protocol.UDP, 2));
		LentPort lent = reservation.lend("udp-mock");
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> track(DatagramChannel.open()).bind(new InetSocketAddress(LOOPBACK, lent.port())));
		lent.handOff();
		DatagramChannel component = track(DatagramChannel.open());
		assertThatNoException().isThrownBy(() -> component.bind(new InetSocketAddress(LOOPBACK, lent.port())));
		component.close();
		lent.close();
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> track(DatagramChannel.open()).bind(new InetSocketAddress(LOOPBACK, lent.port())));
	}

	@Test
	void concurrentLendsAndBindsNeverShareAPort() throws Exception {
		RuntimeBlockReservation reservation = tcpBlock(16);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Integer> ports = new CopyOnWriteArrayList<>();
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				int n = i;
				futures.add(pool.submit(() -> {
					if (n % 2 == 0) {
						ports.add(reservation.lend("thread-" + n).port());
					}
					else {
						ports.add(reservation.bind(track(ServerSocketChannel.open()), LOOPBACK, 0));
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get(GuardTimeouts.seconds(30), TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(ports).hasSize(16).doesNotHaveDuplicates();
		assertThat(reservation.leases()).hasSize(16);
	}

	/**
	 * The remaining window of a handed-off port, measured as the worst case: every port
	 * of a block above the ephemeral range is lent and handed off (no holder at all),
	 * then many outgoing connections are opened. The kernel picks their local ports from
	 * {@code ip_local_port_range} only, so none lands in the block; only a deliberate
	 * explicit bind can take such a port, which the last assertion shows.
	 */
	@Test
	void outgoingConnectionsNeverTakeAHandedOffPortOfABlockAboveTheEphemeralRange() throws Exception {
		int[] ephemeral = WildcardRegion.parseRange(ProcFile.read(LinuxPortReservations.LOCAL_PORT_RANGE));
		PortReservation reservation = track(this.backend.acquireRuntime(Protocol.TCP, 8));
		PortBlock block = reservation.block();
		Assumptions.assumeTrue(block.startPort() > ephemeral[1],
				"the block " + block + " is not above the ephemeral range " + ephemeral[0] + "-" + ephemeral[1]);
		List<LentPort> lent = new ArrayList<>();
		for (int i = 0; i < block.count(); i++) {
			LentPort port = reservation.lend("handed-off-" + i);
			port.handOff();
			lent.add(port);
		}
		ServerSocketChannel target = track(ServerSocketChannel.open());
		target.bind(new InetSocketAddress(LOOPBACK, 0), 1024);
		int connections = 2000;
		int inBlock = 0;
		Set<Integer> localPorts = new HashSet<>();
		for (int i = 0; i < connections; i++) {
			try (SocketChannel client = SocketChannel.open()) {
				client.connect(target.getLocalAddress());
				int local = ((InetSocketAddress) client.getLocalAddress()).getPort();
				localPorts.add(local);
				if (block.contains(local)) {
					inBlock++;
				}
				try (SocketChannel accepted = target.accept()) {
					// Close the server side first so the TIME_WAIT stays there, not on
					// the client's port.
				}
				client.setOption(StandardSocketOptions.SO_LINGER, 0);
			}
		}
		assertThat(inBlock).as("outgoing connections given a port of the block").isZero();
		assertThat(localPorts).as("distinct local ports the kernel chose").hasSizeGreaterThan(100);
		// The window that remains: an explicit bind of a handed-off port succeeds.
		assertThatNoException().isThrownBy(() -> bindExclusively(lent.get(0).port()).close());
	}

	private RuntimeBlockReservation tcpBlock(int count) {
		return (RuntimeBlockReservation) track(this.backend.acquireRuntime(Protocol.TCP, count));
	}

	private HttpServer startHttpServer(int port, String body) throws IOException {
		HttpServer server = LoopbackHttp.serve(port, body);
		this.resources.add(() -> server.stop(0));
		return server;
	}

	private ServerSocketChannel bindExclusively(int port) throws IOException {
		return bind(port, false);
	}

	private ServerSocketChannel bindSharing(int port) throws IOException {
		return bind(port, true);
	}

	private ServerSocketChannel bind(int port, boolean reuseAddress) throws IOException {
		ServerSocketChannel channel = track(ServerSocketChannel.open());
		channel.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
		channel.bind(new InetSocketAddress(LOOPBACK, port));
		return channel;
	}

	private <T extends AutoCloseable> T track(T resource) {
		return this.resources.track(resource);
	}

}
