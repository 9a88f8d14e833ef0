package dev.portreservation.windows;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import dev.portreservation.test.GuardTimeouts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import dev.portreservation.core.Enforcement;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Windows' rules for the sockets the JDK binds itself, with the simulator preloaded into
 * this JVM (the surefire execution {@code windows-preload-tests}): the rules R1 to R9 of
 * {@code src/test/c/winsim.c}, each checked over every port of the block and every way
 * the JDK binds (NIO channels on the wildcard, IPv4 and IPv6 loopback, and the classic
 * {@link ServerSocket} / {@link DatagramSocket}).
 */
@GuardTimeout(120)
class WindowsBindRulesPreloadTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	/**
	 * IPPROTO_IP / IP_LOCAL_PORT_RANGE: a range the kernel picks automatic ports from
	 * (Linux 6.3+).
	 */
	private static final int IPPROTO_IP = 0;

	private static final int IP_LOCAL_PORT_RANGE = 51;

	private final List<AutoCloseable> cleanup = new ArrayList<>();

	private final ChannelHandles handles = ChannelHandles.forThisJvm();

	private WindowsPortReservations backend;

	private WinSock winSock;

	@BeforeEach
	void preloadedSimulator() {
		WindowsSimulator.assumePreloaded();
		WindowsSimulator.reset(true);
		this.backend = WindowsSimulator.backend();
		this.winSock = WindowsSimulator.winSock();
	}

	@AfterEach
	void closeEverything() throws Exception {
		WindowsSimulator.closeAllThenReset(this.cleanup, this.backend != null);
	}

	// R1, R5, R8

	@ParameterizedTest(name = "{0} {1}")
	@CsvSource({ "TCP, RUNTIME", "TCP, PERSISTENT", "UDP, RUNTIME", "UDP, PERSISTENT" })
	void aSocketNotAssociatedGetsNoPortOfAHeldBlockUntilTheBlockIsGivenBack(Protocol protocol, ReservationKind kind)
			throws Exception {
		PortBlock block = WindowsSimulator.freeBlock(this.backend, 3);
		PortReservation held = (kind == ReservationKind.RUNTIME) ? this.backend.acquireRuntime(protocol, block)
				: this.backend.createPersistent(protocol, block);
		// R1 for runtime blocks in both readings, and for persistent ones in the stricter
		// one; R1b (they bind, while the port is free) for persistent blocks in the
		// looser one.
		boolean refused = kind == ReservationKind.RUNTIME || strictReading();
		for (int port = block.startPort(); port <= block.endPort(); port++) {
			for (StrangerBind stranger : strangers(protocol)) {
				int attempted = port;
				Throwable failure = catchThrowable(() -> stranger.bind(attempted).close());
				if (!refused) {
					assertThat(failure)
						.as("%s bind of port %d of the persistent block %s (looser reading)", stranger, port, block)
						.isNull();
					continue;
				}
				assertThat(failure).as("%s bind of port %d of the held block %s", stranger, port, block)
					.isInstanceOf(BindException.class)
					.hasMessageContaining("Address already in use");
				assertThat(WindowsSimulator.controls().winsim_last_raw_error()).as("Windows' own answer")
					.isEqualTo(WinSock.WSAEACCES);
				assertThat(this.winSock.WSAGetLastError()).as("after the JDK's rewrite of WSAEACCES")
					.isEqualTo(WinSock.WSAEADDRINUSE);
			}
		}
		// The reservation's own sockets still get every port.
		Set<Integer> ports = new TreeSet<>();
		for (int i = 0; i < block.count(); i++) {
			ports.add(bindThrough(held, protocol));
		}
		assertThat(ports).containsExactlyElementsOf(portsOf(block));
		for (AutoCloseable channel : this.cleanup) {
			channel.close();
		}
		this.cleanup.clear();
		held.close();
		if (kind == ReservationKind.PERSISTENT) {
			this.backend.deletePersistent(protocol, block);
		}
		for (int port = block.startPort(); port <= block.endPort(); port++) {
			for (StrangerBind stranger : strangers(protocol)) {
				stranger.bind(port).close();
			}
		}
	}

	@Test
	void aRuntimeBlockWhoseSocketClosedFreesItsPorts() throws Exception {
		PortBlock block = WindowsSimulator.freeBlock(this.backend, 2);
		ServerSocketChannel anchor = ServerSocketChannel.open();
		InetPortReservationInstance instance = new InetPortReservationInstance();
		InetPortRange range = InetPortRange.of(block.startPort(), block.count());
		assertThat(
				this.winSock.WSAIoctl(this.handles.of(anchor), WinSock.SIO_ACQUIRE_PORT_RESERVATION, range.getPointer(),
						range.size(), instance.getPointer(), instance.size(), new IntByReference(), null, null))
			.isZero();
		assertThat(catchThrowable(() -> strangers(Protocol.TCP).get(0).bind(block.startPort()).close()))
			.isInstanceOf(BindException.class);
		anchor.close();
		for (int port = block.startPort(); port <= block.endPort(); port++) {
			for (StrangerBind stranger : strangers(Protocol.TCP)) {
				stranger.bind(port).close();
			}
		}
	}

	// R2, R3

	@ParameterizedTest(name = "{0}, a full block answering {1}")
	@CsvSource({ "TCP, 10055", "TCP, 10048", "UDP, 10055", "UDP, 10048" })
	void associatedBindsOfPortZeroGetEveryPortOfTheBlockThenTheBlockIsExhausted(Protocol protocol, int fullBlock)
			throws Exception {
		WindowsSimulator.controls().winsim_set_full_block_error(fullBlock);
		PortReservation reservation = track(
				this.backend.acquireRuntime(protocol, WindowsSimulator.freeBlock(this.backend, 3)));
		Set<Integer> ports = new TreeSet<>();
		for (int i = 0; i < 3; i++) {
			ports.add(bindThrough(reservation, protocol));
		}
		assertThat(ports).containsExactlyElementsOf(portsOf(reservation.block()));
		NetworkChannel last = track(channel(protocol));
		assertThatExceptionOfType(PortReservationException.class).isThrownBy(() -> bind(reservation, last, LOOPBACK))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.EXHAUSTED);
				assertThat(ex.getMessage()).contains("raise the count");
			});
		assertThat(last.getLocalAddress()).isNull();
		// What the JDK itself makes of the full block: WSAENOBUFS is a plain
		// SocketException, WSAEADDRINUSE a
		// BindException.
		NetworkChannel direct = track(channel(protocol));
		this.backend.associate(direct, (WindowsPortReservation) reservation);
		Throwable jdk = catchThrowable(() -> direct.bind(new InetSocketAddress(LOOPBACK, 0)));
		assertThat(WindowsSimulator.controls().winsim_last_raw_error()).isEqualTo(fullBlock);
		assertThat(jdk).isInstanceOf(SocketException.class);
		assertThat(jdk instanceof BindException).isEqualTo(fullBlock == WinSock.WSAEADDRINUSE);
	}

	// R4

	@ParameterizedTest
	@EnumSource(Protocol.class)
	void associatingASocketTheJdkAlreadyBoundIsInvalid(Protocol protocol) throws Exception {
		PortReservation reservation = track(this.backend.acquireRuntime(protocol, 2));
		NetworkChannel bound = track(channel(protocol));
		bound.bind(new InetSocketAddress(LOOPBACK, 0));
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.associate(bound, (WindowsPortReservation) reservation))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.INVALID);
				assertThat(ex.getNativeCode()).contains((long) WinSock.WSAEINVAL);
			});
	}

	// R6

	@Test
	void persistentBlocksNeedTheElevationForCreateAndAssociate() throws Exception {
		PortBlock block = WindowsSimulator.freeBlock(this.backend, 2);
		WindowsSimulator.controls().winsim_set_admin(0);
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.createPersistent(Protocol.TCP, block))
			.satisfies((ex) -> assertThat(ex.getNativeCode()).contains(5L));
		WindowsSimulator.controls().winsim_set_admin(1);
		track(this.backend.createPersistent(Protocol.TCP, block));
		WindowsSimulator.controls().winsim_set_admin(0);
		PortReservation found = track(this.backend.lookupPersistent(Protocol.TCP, block).orElseThrow());
		ServerSocketChannel channel = track(ServerSocketChannel.open());
		assertThatExceptionOfType(PortReservationException.class).isThrownBy(() -> found.bind(channel, LOOPBACK, 0))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.ACCESS_DENIED);
				assertThat(ex.getNativeCode()).contains((long) WinSock.WSAEACCES);
			});
		for (int port = block.startPort(); port <= block.endPort(); port++) {
			int attempted = port;
			Throwable stranger = catchThrowable(() -> strangers(Protocol.TCP).get(0).bind(attempted).close());
			if (strictReading()) {
				assertThat(stranger).isInstanceOf(BindException.class);
			}
			else {
				assertThat(stranger).as("looser reading: a free port of a persistent block binds").isNull();
			}
		}
		WindowsSimulator.controls().winsim_set_admin(1);
		this.backend.deletePersistent(Protocol.TCP, block);
	}

	// R7

	@Test
	void winSocksLastErrorIsTheThreadsLastSocketCall() throws Exception {
		PortReservation held = track(this.backend.acquireRuntime(Protocol.TCP, 2));
		StrangerBind stranger = strangers(Protocol.TCP).get(0);
		assertThat(catchThrowable(() -> stranger.bind(held.block().startPort()).close()))
			.isInstanceOf(BindException.class);
		assertThat(this.winSock.WSAGetLastError()).isEqualTo(WinSock.WSAEADDRINUSE);
		int otherThread = CompletableFuture.supplyAsync(this.winSock::WSAGetLastError)
			.get(GuardTimeouts.seconds(10), TimeUnit.SECONDS);
		assertThat(otherThread).isZero();
		try (ServerSocketChannel elsewhere = ServerSocketChannel.open()) {
			elsewhere.bind(new InetSocketAddress(LOOPBACK, 0));
		}
		assertThat(this.winSock.WSAGetLastError()).as("reset by the successful bind").isZero();
		// A failed IOCTL leaves its code where JNA reads the thread's last error right
		// after the call.
		try (ServerSocketChannel socket = ServerSocketChannel.open()) {
			InetPortReservationToken unknown = InetPortReservationToken.of(42);
			assertThat(this.winSock.WSAIoctl(this.handles.of(socket), WinSock.SIO_RELEASE_PORT_RESERVATION,
					unknown.getPointer(), unknown.size(), null, 0, new IntByReference(), null, null))
				.isEqualTo(WinSock.SOCKET_ERROR);
			assertThat(Native.getLastError()).isEqualTo(WinSock.WSAEINVAL);
		}
	}

	// R9

	@ParameterizedTest
	@EnumSource(Protocol.class)
	void anAutomaticPortOfASocketNotAssociatedNeverLandsInABlock(Protocol protocol) throws Exception {
		PortReservation held = track(
				this.backend.acquireRuntime(protocol, WindowsSimulator.freeBlock(this.backend, 4)));
		PortBlock block = held.block();
		// Confined by the socket's own range to the block, the kernel would pick a port
		// of it.
		NetworkChannel confined = track(channel(protocol));
		localPortRange(confined, block.startPort(), block.endPort());
		assertThat(catchThrowable(() -> confined.bind(new InetSocketAddress(LOOPBACK, 0))))
			.isInstanceOf(SocketException.class);
		assertThat(confined.getLocalAddress()).isNull();
		NetworkChannel around = track(channel(protocol));
		localPortRange(around, block.startPort() - 8, block.endPort() + 8);
		around.bind(new InetSocketAddress(LOOPBACK, 0));
		int port = ((InetSocketAddress) around.getLocalAddress()).getPort();
		assertThat(block.contains(port)).as("port %d beside %s", port, block).isFalse();
		assertThat(port).isBetween(block.startPort() - 8, block.endPort() + 8);
	}

	@Test
	void theImplicitPortOfAConnectNeverLandsInABlock() throws Exception {
		PortReservation held = track(
				this.backend.acquireRuntime(Protocol.TCP, WindowsSimulator.freeBlock(this.backend, 4)));
		PortBlock block = held.block();
		ServerSocketChannel server = track(ServerSocketChannel.open());
		server.bind(new InetSocketAddress(LOOPBACK, 0));
		SocketChannel confined = track(SocketChannel.open());
		localPortRange(confined, block.startPort(), block.endPort());
		assertThat(catchThrowable(() -> confined.connect(server.getLocalAddress()))).isInstanceOf(IOException.class);
		SocketChannel around = track(SocketChannel.open());
		localPortRange(around, block.startPort() - 8, block.endPort() + 8);
		around.connect(server.getLocalAddress());
		int port = ((InetSocketAddress) around.getLocalAddress()).getPort();
		assertThat(block.contains(port)).as("port %d beside %s", port, block).isFalse();
	}

	// Post-bind classification from facts

	@Test
	void anAddressThisMachineDoesNotHaveIsInvalidNotExhausted() throws Exception {
		PortReservation reservation = track(this.backend.acquireRuntime(Protocol.TCP, 2));
		ServerSocketChannel channel = track(ServerSocketChannel.open());
		InetAddress documentation = InetAddress.getByName("192.0.2.1");
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> reservation.bind(channel, documentation, 0))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.INVALID);
				assertThat(ex.getMessage()).contains("192.0.2.1");
			});
		assertThat(reservation.bind(channel, LOOPBACK, 0)).isBetween(reservation.block().startPort(),
				reservation.block().endPort());
	}

	@Test
	void aBindRefusedWhileTheSystemDeniesTheBlockToThisProcessIsAccessDenied() throws Exception {
		PortBlock block = WindowsSimulator.freeBlock(this.backend, 2);
		PortReservation persistent = track(this.backend.createPersistent(Protocol.TCP, block));
		// Windows refuses the bind (the JDK reports "Address already in use"), and asked
		// again the system
		// refuses this process the block: the first WSAIoctl is the bind's ASSOCIATE, the
		// second the check.
		WindowsSimulator.controls().winsim_fail_next("bind", WinSock.WSAEACCES);
		WindowsSimulator.controls().winsim_fail_call("WSAIoctl", 1, WinSock.WSAEACCES);
		ServerSocketChannel channel = track(ServerSocketChannel.open());
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> persistent.bind(channel, LOOPBACK, 0))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.ACCESS_DENIED);
				assertThat(ex.getNativeCode()).contains((long) WinSock.WSAEACCES);
				assertThat(ex.getMessage()).contains("Address already in use").contains("UAC");
			});
		this.backend.deletePersistent(Protocol.TCP, block);
	}

	@Test
	void anExplicitPortTheOtherAppSharingThePersistentBlockHoldsIsAConflict() throws Exception {
		PortBlock block = WindowsSimulator.freeBlock(this.backend, 3);
		PortReservation first = track(this.backend.createPersistent(Protocol.UDP, block));
		PortReservation second = track(this.backend.lookupPersistent(Protocol.UDP, block).orElseThrow());
		int port = block.startPort() + 1;
		bind(first, track(DatagramChannel.open()), new InetSocketAddress(LOOPBACK, port));
		DatagramChannel channel = track(DatagramChannel.open());
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> bind(second, channel, new InetSocketAddress(LOOPBACK, port)))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT));
		assertThat(bind(second, channel, LOOPBACK)).isNotEqualTo(port).isBetween(block.startPort(), block.endPort());
		this.backend.deletePersistent(Protocol.UDP, block);
	}

	// R1b, both readings

	@ParameterizedTest
	@EnumSource(Protocol.class)
	void aStrangerOnAPortOfAPersistentBlockIsNamedAndSkipped(Protocol protocol) throws Exception {
		PortBlock block = WindowsSimulator.freeBlock(this.backend, 3);
		PortReservation persistent = track(this.backend.createPersistent(protocol, block));
		int port = block.startPort() + 1;
		Throwable squatting = catchThrowable(() -> track(strangers(protocol).get(0).bind(port)));
		if (strictReading()) {
			assertThat(squatting).isInstanceOf(BindException.class);
			assertThat(WindowsSimulator.controls().winsim_last_raw_error()).isEqualTo(WinSock.WSAEACCES);
		}
		else {
			assertThat(squatting).isNull();
			// The explicit port is a conflict, not access denied or a vanished block.
			assertThatExceptionOfType(PortReservationException.class)
				.isThrownBy(() -> bind(persistent, track(channel(protocol)), new InetSocketAddress(LOOPBACK, port)))
				.satisfies((ex) -> {
					assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT);
					assertThat(ex.getMessage()).contains("Port " + port + " of the block is in use by another socket");
				});
		}
		// Any port goes around the stranger: the other two ports, then the block is full.
		Set<Integer> ports = new TreeSet<>();
		ports.add(bindThrough(persistent, protocol));
		ports.add(bindThrough(persistent, protocol));
		if (strictReading()) {
			ports.add(bindThrough(persistent, protocol));
			assertThat(ports).containsExactlyElementsOf(portsOf(block));
		}
		else {
			assertThat(ports).containsExactly(block.startPort(), block.endPort());
			NetworkChannel last = track(channel(protocol));
			assertThatExceptionOfType(PortReservationException.class).isThrownBy(() -> bind(persistent, last, LOOPBACK))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.EXHAUSTED));
		}
		this.backend.deletePersistent(protocol, block);
	}

	@ParameterizedTest
	@EnumSource(Protocol.class)
	void aRuntimeBlockNeverLends(Protocol protocol) {
		PortReservation runtime = track(this.backend.acquireRuntime(protocol, 2));
		assertThatExceptionOfType(PortReservationException.class).isThrownBy(() -> runtime.lend("broker"))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.UNSUPPORTED);
				assertThat(ex.getMessage()).contains("WSAEACCES").contains("kind: persistent");
			});
		assertThat(runtime.leases()).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Protocol.class)
	void aPersistentBlockLendsExactlyWhereWindowsLetsASocketWithoutTheTokenBindIt(Protocol protocol) throws Exception {
		PortBlock block = WindowsSimulator.freeBlock(this.backend, 3);
		PortReservation persistent = track(this.backend.createPersistent(protocol, block));
		if (strictReading()) {
			assertThatExceptionOfType(PortReservationException.class).isThrownBy(() -> persistent.lend("broker"))
				.satisfies((ex) -> {
					assertThat(ex.getReason()).isEqualTo(Reason.UNSUPPORTED);
					assertThat(ex.getMessage()).contains("not associated with the reservation");
				});
			assertThat(persistent.leases()).isEmpty();
			this.backend.deletePersistent(protocol, block);
			return;
		}
		var lent = persistent.lend("broker");
		assertThat(block.contains(lent.port())).isTrue();
		// Binds through the reservation for any port never take the lent one.
		Set<Integer> ports = new TreeSet<>();
		ports.add(bindThrough(persistent, protocol));
		ports.add(bindThrough(persistent, protocol));
		assertThat(ports).doesNotContain(lent.port()).hasSize(2).allMatch(block::contains);
		NetworkChannel full = track(channel(protocol));
		assertThatExceptionOfType(PortReservationException.class).isThrownBy(() -> bind(persistent, full, LOOPBACK))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.EXHAUSTED));
		// The component binds the port itself, every way the JDK binds.
		for (StrangerBind component : strangers(protocol)) {
			component.bind(lent.port()).close();
		}
		// Nothing automatic lands on it meanwhile (R9), and it comes back when returned.
		lent.close();
		assertThat(bind(persistent, full, LOOPBACK)).isEqualTo(lent.port());
		this.backend.deletePersistent(protocol, block);
	}

	// The claim, attacked under the reading in force

	@ParameterizedTest(name = "{0} {1}")
	@CsvSource({ "TCP, RUNTIME", "TCP, PERSISTENT", "UDP, RUNTIME", "UDP, PERSISTENT" })
	void theClaimedEnforcementHoldsAndNoMoreIsClaimed(Protocol protocol, ReservationKind kind) throws Exception {
		PortBlock block = WindowsSimulator.freeBlock(this.backend, 4);
		PortReservation held = track((kind == ReservationKind.RUNTIME) ? this.backend.acquireRuntime(protocol, block)
				: this.backend.createPersistent(protocol, block));
		Enforcement claim = held.enforcement();
		assertThat(claim).isEqualTo((kind == ReservationKind.RUNTIME) ? Enforcement.EVERY_BIND_WITHOUT_TOKEN
				: Enforcement.AUTOMATIC_ASSIGNMENT_AND_RESERVATIONS);
		// Every claim keeps automatic assignment out: 16 automatic binds confined to the
		// block and 8 ports on each side of it.
		for (int i = 0; i < 16; i++) {
			try (NetworkChannel automatic = channel(protocol)) {
				localPortRange(automatic, block.startPort() - 8, block.endPort() + 8);
				automatic.bind(new InetSocketAddress(LOOPBACK, 0));
				assertThat(block.contains(((InetSocketAddress) automatic.getLocalAddress()).getPort())).isFalse();
			}
		}
		// ... and every other reservation of a port of it.
		PortBlock overlapping = new PortBlock(block.startPort() + 2, 4);
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.acquireRuntime(protocol, overlapping))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT));
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.createPersistent(protocol, overlapping))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT));
		// Explicit binds without the token: every one refused where that is claimed, and
		// where one succeeds, nothing claims it refused.
		int attempts = 0;
		int bound = 0;
		for (int port = block.startPort(); port <= block.endPort(); port++) {
			for (StrangerBind stranger : strangers(protocol)) {
				int attempted = port;
				attempts++;
				if (catchThrowable(() -> stranger.bind(attempted).close()) == null) {
					bound++;
				}
			}
		}
		if (claim == Enforcement.EVERY_BIND_WITHOUT_TOKEN) {
			assertThat(bound).as("explicit binds without the token that succeeded, of %d", attempts).isZero();
		}
		if (bound > 0) {
			assertThat(claim).as("%d of %d explicit binds without the token succeeded", bound, attempts)
				.isNotIn(Enforcement.EVERY_BIND_WITHOUT_TOKEN, Enforcement.EVERY_BIND_BY_OTHER_USERS);
		}
		if (kind == ReservationKind.PERSISTENT) {
			this.backend.deletePersistent(protocol, block);
		}
	}

	private static boolean strictReading() {
		return WindowsSimulator.controls().winsim_strict_persistent() == 1;
	}

	private int bindThrough(PortReservation reservation, Protocol protocol) throws IOException {
		return bind(reservation, track(channel(protocol)), LOOPBACK);
	}

	private static int bind(PortReservation reservation, NetworkChannel channel, InetAddress address) {
		return bind(reservation, channel, new InetSocketAddress(address, 0));
	}

	private static int bind(PortReservation reservation, NetworkChannel channel, InetSocketAddress local) {
		return (channel instanceof ServerSocketChannel server) ? reservation.bind(server, local, 0, "test")
				: reservation.bind((DatagramChannel) channel, local, "test");
	}

	private static NetworkChannel channel(Protocol protocol) throws IOException {
		return (protocol == Protocol.TCP) ? ServerSocketChannel.open() : DatagramChannel.open();
	}

	private void localPortRange(NetworkChannel channel, int low, int high) {
		IntByReference range = new IntByReference((high << 16) | low);
		assertThat(LibC.INSTANCE.setsockopt(this.handles.of(channel).intValue(), IPPROTO_IP, IP_LOCAL_PORT_RANGE, range,
				4))
			.isZero();
	}

	private static List<Integer> portsOf(PortBlock block) {
		return IntStream.rangeClosed(block.startPort(), block.endPort()).boxed().collect(Collectors.toList());
	}

	private <T extends AutoCloseable> T track(T closeable) {
		this.cleanup.add(closeable);
		return closeable;
	}

	private static List<StrangerBind> strangers(Protocol protocol) {
		InetAddress loopback6;
		try {
			loopback6 = InetAddress.getByName("::1");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		List<StrangerBind> strangers = new ArrayList<>();
		if (protocol == Protocol.TCP) {
			strangers.add(StrangerBind.of("ServerSocketChannel on the wildcard", (port) -> {
				ServerSocketChannel channel = ServerSocketChannel.open();
				return bound(channel, () -> channel.bind(new InetSocketAddress(port)));
			}));
			strangers.add(StrangerBind.of("ServerSocketChannel on 127.0.0.1", (port) -> {
				ServerSocketChannel channel = ServerSocketChannel.open();
				return bound(channel, () -> channel.bind(new InetSocketAddress("127.0.0.1", port)));
			}));
			strangers.add(StrangerBind.of("ServerSocketChannel on ::1", (port) -> {
				ServerSocketChannel channel = ServerSocketChannel.open();
				return bound(channel, () -> channel.bind(new InetSocketAddress(loopback6, port)));
			}));
			strangers.add(StrangerBind.of("java.net.ServerSocket", (port) -> {
				ServerSocket socket = new ServerSocket();
				return bound(socket, () -> socket.bind(new InetSocketAddress(port)));
			}));
			strangers.add(StrangerBind.of("SocketChannel (client) on 127.0.0.1", (port) -> {
				SocketChannel channel = SocketChannel.open();
				return bound(channel, () -> channel.bind(new InetSocketAddress("127.0.0.1", port)));
			}));
		}
		else {
			strangers.add(StrangerBind.of("DatagramChannel on the wildcard", (port) -> {
				DatagramChannel channel = DatagramChannel.open();
				return bound(channel, () -> channel.bind(new InetSocketAddress(port)));
			}));
			strangers.add(StrangerBind.of("DatagramChannel on ::1", (port) -> {
				DatagramChannel channel = DatagramChannel.open();
				return bound(channel, () -> channel.bind(new InetSocketAddress(loopback6, port)));
			}));
			strangers.add(StrangerBind.of("java.net.DatagramSocket on 127.0.0.1", (port) -> {
				DatagramSocket socket = new DatagramSocket(null);
				return bound(socket, () -> socket.bind(new InetSocketAddress("127.0.0.1", port)));
			}));
		}
		return strangers;
	}

	private static AutoCloseable bound(AutoCloseable socket, Binding binding) throws IOException {
		try {
			binding.bind();
			return socket;
		}
		catch (IOException | RuntimeException ex) {
			try {
				socket.close();
			}
			catch (Exception closing) {
				ex.addSuppressed(closing);
			}
			throw ex;
		}
	}

	@FunctionalInterface
	private interface Binding {

		void bind() throws IOException;

	}

	@FunctionalInterface
	private interface PortBinder {

		AutoCloseable bind(int port) throws IOException;

	}

	/**
	 * A socket of this JVM that was not associated with any reservation, bound the JDK's
	 * way.
	 */
	private record StrangerBind(String name, PortBinder binder) {

		static StrangerBind of(String name, PortBinder binder) {
			return new StrangerBind(name, binder);
		}

		AutoCloseable bind(int port) throws IOException {
			return this.binder.bind(port);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	/** setsockopt for IP_LOCAL_PORT_RANGE, which the JDK has no option for. */
	private interface LibC extends Library {

		LibC INSTANCE = Native.load("c", LibC.class);

		int setsockopt(int fd, int level, int name, IntByReference value, int length);

	}

}
