package dev.portreservation.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.linux.LinuxPortReservations;
import dev.portreservation.portable.PortablePortReservations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A local address this host does not have makes every bind through the explicit-bind path
 * (Linux runtime, portable runtime and persistent) fail as {@code INVALID}, naming the
 * address and {@code EADDRNOTAVAIL}: for every port of the block asked explicitly and for
 * port 0, for TCP and UDP, IPv4 and IPv6. Never {@code EXHAUSTED} or {@code CONFLICT},
 * the channel stays unbound, and the block stays whole: a bind on a real address
 * afterwards still gets a port. (Linux persistent blocks:
 * {@code LinuxPersistentInNetnsTests}.)
 */
class NonLocalAddressBindTests {

	/**
	 * TEST-NET-1 (RFC 5737) and the IPv6 documentation prefix (RFC 3849): never a real
	 * host's.
	 */
	private static final List<String> NON_LOCAL = List.of("192.0.2.1", "2001:db8::1");

	private static final int COUNT = 4;

	private final List<AutoCloseable> cleanup = new ArrayList<>();

	static Stream<Arguments> cases() {
		List<Arguments> cases = new ArrayList<>();
		for (String backend : List.of("linux", "portable")) {
			for (Protocol protocol : Protocol.values()) {
				for (String address : NON_LOCAL) {
					cases.add(Arguments.of(backend, protocol, address));
				}
			}
		}
		return cases.stream();
	}

	@AfterEach
	void close() throws Exception {
		for (int i = this.cleanup.size() - 1; i >= 0; i--) {
			this.cleanup.get(i).close();
		}
	}

	@ParameterizedTest(name = "{0} {1} {2}")
	@MethodSource("cases")
	void everyPortAndPortZeroFailAsTheAddress(String backendName, Protocol protocol, String text) throws Exception {
		assumeThat(BackendType.current() == BackendType.LINUX || !"linux".equals(backendName))
			.as("the Linux backend runs on Linux only")
			.isTrue();
		InetAddress address = InetAddress.getByName(text);
		assertThat(NetworkInterface.getByInetAddress(address)).as("%s is not on this host", text).isNull();
		PortReservations backend = "linux".equals(backendName) ? new LinuxPortReservations()
				: new PortablePortReservations();
		PortReservation reservation = track(backend.acquireRuntime(protocol, COUNT));
		List<Integer> asked = new ArrayList<>(List.of(0));
		for (int port = reservation.block().startPort(); port <= reservation.block().endPort(); port++) {
			asked.add(port);
		}
		for (int port : asked) {
			NetworkChannel channel = track(open(protocol));
			PortReservationException failure = catchThrowableOfType(PortReservationException.class,
					() -> bind(reservation, channel, new InetSocketAddress(address, port)));
			assertThat(failure).as("bind of %s port %d must fail", text, port).isNotNull();
			assertThat(failure.getReason()).as("%s", failure.getMessage()).isEqualTo(Reason.INVALID);
			assertThat(failure.getMessage()).contains(address.getHostAddress(), "EADDRNOTAVAIL");
			assertThat(failure.getProblem()).contains(PortReservationException.Problem.ADDRESS_NOT_LOCAL);
			assertThat(failure.getAddress()).contains(address);
			assertThat(failure.getNativeCode()).contains(99L);
			assertThat(channel.getLocalAddress()).isNull();
		}
		assertThat(reservation.leases()).isEmpty();
		NetworkChannel real = track(open(protocol));
		int port = bind(reservation, real, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		assertThat(reservation.block().contains(port)).isTrue();
	}

	private static NetworkChannel open(Protocol protocol) throws IOException {
		return (protocol == Protocol.TCP) ? ServerSocketChannel.open() : DatagramChannel.open();
	}

	private static int bind(PortReservation reservation, NetworkChannel channel, InetSocketAddress address) {
		return (channel instanceof ServerSocketChannel server) ? reservation.bind(server, address, 0, "test")
				: reservation.bind((DatagramChannel) channel, address, "test");
	}

	private <T extends AutoCloseable> T track(T closeable) {
		this.cleanup.add(closeable);
		return closeable;
	}

}
