package dev.portreservation.linux;

import java.net.BindException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.portreservation.core.Enforcement;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;
import dev.portreservation.test.PortReservationsContract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Runtime blocks in the build's own network namespace: holder sockets need no privilege
 * and change nothing system-wide. Persistent blocks are tested in
 * {@link LinuxPersistentInNetnsTests}.
 */
class LinuxPortReservationsTests extends PortReservationsContract<LinuxPortReservations> {

	LinuxPortReservationsTests() {
		super(LinuxPortReservations::new);
	}

	@Override
	protected PortBlock freeBlock(int count) {
		return FreeBlocks.withoutConnections(backend(), count);
	}

	@Override
	protected boolean persistentSupported() {
		Assumptions.abort("Persistent blocks write ip_local_reserved_ports, which must never be touched in the "
				+ "host's network namespace; LinuxPersistentInNetnsTests covers them in a private one");
		return false;
	}

	@Test
	void strangersAreKeptOffEveryPortOfARuntimeBlock() throws Exception {
		for (Protocol protocol : Protocol.values()) {
			PortBlock block = freeBlock(3);
			track(backend().acquireRuntime(protocol, block));
			for (int port = block.startPort(); port <= block.endPort(); port++) {
				int held = port;
				assertThatExceptionOfType(BindException.class).as("%s port %d", protocol, held)
					.isThrownBy(() -> bindStranger(protocol, new InetSocketAddress(LOOPBACK, held)));
				assertThatExceptionOfType(BindException.class).as("%s port %d on the wildcard", protocol, held)
					.isThrownBy(() -> bindStranger(protocol, new InetSocketAddress(held)));
			}
		}
	}

	@Test
	void aStrangerIsKeptOffAPortAgainAfterItsChannelCloses() throws Exception {
		PortBlock block = freeBlock(1);
		RuntimeBlockReservation reservation = (RuntimeBlockReservation) track(
				backend().acquireRuntime(Protocol.TCP, block));
		ServerSocketChannel channel = serverChannel();
		int port = reservation.bind(channel, LOOPBACK, 0);
		assertThat(reservation.heldPorts()).as("a TCP holder stays next to its channel").containsExactly(port);
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bindStranger(Protocol.TCP, new InetSocketAddress(LOOPBACK, port)));
		channel.close();
		assertThat(reservation.portsInUse()).isZero();
		assertThat(reservation.heldPorts()).containsExactly(port);
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bindStranger(Protocol.TCP, new InetSocketAddress(LOOPBACK, port)));
	}

	@Test
	void withoutSteeringAPortTakenWhileItsChannelWasOpenIsReportedAndRetried() throws Exception {
		PortBlock block = freeBlock(2);
		RuntimeBlockReservation reservation = track(UnheldPorts.runtimeUdpWithoutSteering(block));
		DatagramChannel first = datagramChannel();
		// Bound to the wildcard address: without steering the holder gives the port up to
		// the channel.
		int port = reservation.bind(first, new InetSocketAddress(block.startPort()), "first");
		assertThat(reservation.heldPorts()).containsExactly(block.endPort());
		// A socket of the same user joins the channel with SO_REUSEPORT (the documented
		// caveat) and keeps the port after the channel closes, so the port cannot be held
		// again.
		DatagramChannel sameUser = track(UnheldPorts.joinWithReusePort(port));
		first.close();
		reservation.refresh();
		assertThat(reservation.leases()).isEmpty();
		assertThat(reservation.unheldPorts()).containsExactly(port);
		// Retried on every refresh, in vain while the port is taken.
		reservation.refresh();
		assertThat(reservation.unheldPorts()).containsExactly(port);
		assertThat(reservation.heldPorts()).containsExactly(block.endPort());
		sameUser.close();
		// The retry on refresh holds the port again, without a bind.
		reservation.refresh();
		assertThat(reservation.unheldPorts()).isEmpty();
		assertThat(reservation.heldPorts()).contains(port);
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bindStranger(Protocol.UDP, new InetSocketAddress(LOOPBACK, port)));
	}

	@Test
	void withoutSteeringAnIpv4WildcardChannelLeavesItsDualStackHolderInPlace() throws Exception {
		PortBlock block = freeBlock(1);
		RuntimeBlockReservation reservation = track(UnheldPorts.runtimeUdpWithoutSteering(block));
		DatagramChannel channel = track(DatagramChannel.open(java.net.StandardProtocolFamily.INET));
		// No SO_REUSEPORT group with the dual-stack holder: giving the holder up would
		// free the IPv6 addresses.
		int port = reservation.bind(channel, new InetSocketAddress(block.startPort()), "ipv4");
		assertThat(reservation.heldPorts()).containsExactly(port);
		UdpIntruder stranger = new UdpIntruder(false);
		stranger.tryPort(port);
		assertThat(stranger.successes()).isEmpty();
	}

	@Test
	void aBlockWithABusyPortConflictsNamingItAndHoldsNothing() throws Exception {
		PortBlock block = freeBlock(4);
		int busy = block.startPort() + 2;
		ServerSocketChannel stranger = track(ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, busy)));
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> track(backend().acquireRuntime(Protocol.TCP, block)))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT);
				assertThat(ex.getMessage()).contains("Port " + busy);
			});
		// The ports held before the failure were let go.
		for (int port = block.startPort(); port < busy; port++) {
			try (ServerSocketChannel free = ServerSocketChannel.open()) {
				free.bind(new InetSocketAddress(LOOPBACK, port));
			}
		}
		stranger.close();
		track(backend().acquireRuntime(Protocol.TCP, block));
	}

	@Test
	void twoBackendsDoNotShareARuntimeBlock() {
		PortBlock block = freeBlock(2);
		track(backend().acquireRuntime(Protocol.UDP, block));
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> track(new LinuxPortReservations().acquireRuntime(Protocol.UDP, block)))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT));
	}

	@Test
	void aWildcardUdpChannelGetsEveryDatagramBesideItsHolder() throws Exception {
		PortReservation reservation = track(backend().acquireRuntime(Protocol.UDP, 1));
		DatagramChannel channel = datagramChannel();
		// Bound to the wildcard address like the holder: one SO_REUSEPORT group, steered
		// to the channel.
		int port = reservation.bind(channel, null);
		channel.configureBlocking(true);
		int datagrams = 32;
		try (DatagramChannel sender = DatagramChannel.open()) {
			for (int i = 0; i < datagrams; i++) {
				sender.send(ByteBuffer.wrap(new byte[] { (byte) i }), new InetSocketAddress(LOOPBACK, port));
			}
		}
		// A datagram the holder took would never arrive: wait a bounded time, then fail.
		channel.socket().setSoTimeout(5000);
		for (int i = 0; i < datagrams; i++) {
			DatagramPacket received = new DatagramPacket(new byte[1], 1);
			channel.socket().receive(received);
			assertThat(received.getData()[0]).isEqualTo((byte) i);
		}
	}

	@Test
	void aBlockCanBeTakenAgainWhileItsLastConnectionsAreInTimeWait() throws Exception {
		PortBlock block = freeBlock(1);
		PortReservation reservation = backend().acquireRuntime(Protocol.TCP, block);
		ServerSocketChannel server = serverChannel();
		int port = reservation.bind(server, LOOPBACK, 0);
		try (SocketChannel client = SocketChannel.open(new InetSocketAddress(LOOPBACK, port))) {
			SocketChannel accepted = server.accept();
			// The server side closes first, so its end of the connection stays in
			// TIME_WAIT on the port.
			accepted.close();
			client.read(ByteBuffer.allocate(1));
		}
		server.close();
		reservation.close();
		// The last FIN crosses loopback asynchronously: give the connection a bounded
		// time to reach TIME_WAIT.
		for (int i = 0; i < 100 && !TcpSocketTable.states(port).equals(Set.of("TIME-WAIT")); i++) {
			Thread.sleep(50);
		}
		assertThat(TcpSocketTable.states(port)).as("only TIME_WAIT left on port %d", port).containsExactly("TIME-WAIT");
		PortReservation again = track(backend().acquireRuntime(Protocol.TCP, block));
		assertThat(again.bind(serverChannel(), LOOPBACK, 0)).isEqualTo(port);
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bindStranger(Protocol.TCP, new InetSocketAddress(LOOPBACK, port)));
	}

	@Test
	void aWildcardBlockAvoidsTheEphemeralRange() throws Exception {
		int[] ephemeral = WildcardRegion.parseRange(ProcFile.read(Path.of("/proc/sys/net/ipv4/ip_local_port_range")));
		Assumptions.assumeTrue(PortBlock.MAX_PORT - ephemeral[1] >= 8,
				"the ephemeral range leaves fewer than 8 ports above it");
		for (int i = 0; i < 5; i++) {
			PortReservation reservation = track(backend().acquireRuntime(Protocol.TCP, 8));
			assertThat(reservation.block().startPort()).isGreaterThan(ephemeral[1]);
		}
	}

	@Test
	void wildcardCountsOutsideTheRangeAreInvalid() {
		for (int count : new int[] { 0, -1, LinuxPortReservations.MAX_WILDCARD_COUNT + 1 }) {
			assertThatExceptionOfType(PortReservationException.class)
				.isThrownBy(() -> backend().acquireRuntime(Protocol.UDP, count))
				.satisfies((ex) -> {
					assertThat(ex.getReason()).isEqualTo(Reason.INVALID);
					assertThat(ex.getMessage()).contains("count");
				});
		}
		assertThatExceptionOfType(PortReservationException.class).isThrownBy(() -> backend().acquireRuntime(null, 1))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.INVALID));
	}

	@Test
	void theSameUserCanJoinAHeldPortWithReusePort() throws Exception {
		// The documented limit of holder sockets: they cannot keep out a socket of the
		// same user that sets
		// SO_REUSEPORT itself.
		PortBlock block = freeBlock(1);
		track(backend().acquireRuntime(Protocol.TCP, block));
		ServerSocketChannel sameUser = serverChannel();
		sameUser.setOption(StandardSocketOptions.SO_REUSEPORT, true);
		sameUser.bind(new InetSocketAddress(LOOPBACK, block.startPort()));
		assertThat(((InetSocketAddress) sameUser.getLocalAddress()).getPort()).isEqualTo(block.startPort());
	}

	@Test
	void theBackendIsLinuxAndSaysWhatTheKernelEnforcesPerKind() {
		assertThat(backend().name()).isEqualTo("linux");
		assertThat(backend().enforcement(ReservationKind.RUNTIME)).isEqualTo(Enforcement.EVERY_BIND_BY_OTHER_USERS);
		assertThat(backend().enforcement(ReservationKind.PERSISTENT)).isEqualTo(Enforcement.AUTOMATIC_ASSIGNMENT_ONLY);
		assertThat(PortReservations.forCurrentPlatform()).isInstanceOf(LinuxPortReservations.class);
	}

	private void bindStranger(Protocol protocol, InetSocketAddress address) throws Exception {
		FreshSocket.bindAndClose(protocol, address);
	}

}
