package dev.portreservation.windows;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import dev.portreservation.test.GuardTimeouts;

import dev.portreservation.core.PortBlock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator keeps Microsoft's contract at the raw API, so that the backend tests on
 * it mean something: buffer sizes, byte order, argument checks, socket lifetime,
 * thread-local errors.
 */
@GuardTimeout(60)
class WindowsSimulatorTests {

	private final ChannelHandles handles = ChannelHandles.forThisJvm();

	private WinSock winSock;

	private IpHelper ipHelper;

	@BeforeEach
	void load() {
		WindowsSimulator.assumeAvailable();
		WindowsSimulator.reset(true);
		this.winSock = WindowsSimulator.winSock();
		this.ipHelper = WindowsSimulator.ipHelper();
	}

	@AfterEach
	void reset() {
		if (this.winSock != null) {
			WindowsSimulator.reset(false);
		}
	}

	@Test
	void buffersTooSmallAreWsaefault() throws Exception {
		try (ServerSocketChannel socket = ServerSocketChannel.open()) {
			InetPortRange range = InetPortRange.of(0, 2);
			InetPortReservationInstance instance = new InetPortReservationInstance();
			assertThat(acquire(socket, range, 3, instance, 16)).isEqualTo(WinSock.WSAEFAULT);
			assertThat(acquire(socket, range, 4, instance, 15)).isEqualTo(WinSock.WSAEFAULT);
			assertThat(acquire(socket, range, 4, instance, 16)).isZero();
			InetPortReservationToken token = InetPortReservationToken.of(instance.Token);
			assertThat(ioctl(socket, WinSock.SIO_RELEASE_PORT_RESERVATION, token, 7)).isEqualTo(WinSock.WSAEFAULT);
			assertThat(ioctl(socket, WinSock.SIO_RELEASE_PORT_RESERVATION, token, 8)).isZero();
		}
	}

	@Test
	void emptyOrOverflowingBlocksAreInvalid() throws Exception {
		try (DatagramChannel socket = DatagramChannel.open()) {
			InetPortReservationInstance instance = new InetPortReservationInstance();
			assertThat(acquire(socket, InetPortRange.of(40001, 0), 4, instance, 16)).isEqualTo(WinSock.WSAEINVAL);
			assertThat(acquire(socket, InetPortRange.of(65535, 2), 4, instance, 16)).isEqualTo(WinSock.WSAEINVAL);
		}
		LongByReference token = new LongByReference();
		assertThat(this.ipHelper.CreatePersistentTcpPortReservation((short) 0, (short) 2, token))
			.isEqualTo(IpHelper.ERROR_INVALID_PARAMETER);
		assertThat(
				this.ipHelper.CreatePersistentTcpPortReservation(NetworkByteOrder.toNetwork(40001), (short) 0, token))
			.isEqualTo(IpHelper.ERROR_INVALID_PARAMETER);
		assertThat(
				this.ipHelper.CreatePersistentUdpPortReservation(NetworkByteOrder.toNetwork(65535), (short) 2, token))
			.isEqualTo(IpHelper.ERROR_INVALID_PARAMETER);
		assertThat(
				this.ipHelper.LookupPersistentUdpPortReservation(NetworkByteOrder.toNetwork(40001), (short) 2, token))
			.isEqualTo(IpHelper.ERROR_NOT_FOUND);
		assertThat(this.ipHelper.DeletePersistentUdpPortReservation(NetworkByteOrder.toNetwork(40001), (short) 2))
			.isEqualTo(IpHelper.ERROR_NOT_FOUND);
	}

	@Test
	void releaseOrAssociateOfAnUnknownTokenIsInvalid() throws Exception {
		try (ServerSocketChannel socket = ServerSocketChannel.open()) {
			InetPortReservationToken unknown = InetPortReservationToken.of(42);
			assertThat(ioctl(socket, WinSock.SIO_RELEASE_PORT_RESERVATION, unknown, 8)).isEqualTo(WinSock.WSAEINVAL);
			assertThat(ioctl(socket, WinSock.SIO_ASSOCIATE_PORT_RESERVATION, unknown, 8)).isEqualTo(WinSock.WSAEINVAL);
		}
	}

	@Test
	void associateAfterBindIsInvalidAndATcpTokenDoesNotServeUdp() throws Exception {
		try (ServerSocketChannel anchor = ServerSocketChannel.open();
				ServerSocketChannel bound = ServerSocketChannel.open();
				DatagramChannel udp = DatagramChannel.open()) {
			InetPortReservationInstance instance = new InetPortReservationInstance();
			assertThat(acquire(anchor, InetPortRange.of(0, 2), 4, instance, 16)).isZero();
			InetPortReservationToken token = InetPortReservationToken.of(instance.Token);
			bound.bind(new InetSocketAddress(0));
			assertThat(ioctl(bound, WinSock.SIO_ASSOCIATE_PORT_RESERVATION, token, 8)).isEqualTo(WinSock.WSAEINVAL);
			assertThat(ioctl(udp, WinSock.SIO_ASSOCIATE_PORT_RESERVATION, token, 8)).isEqualTo(WinSock.WSAEINVAL);
		}
	}

	@Test
	void onlyTcpAndUdpSocketsSupportReservations() throws Exception {
		try (SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX);
				ServerSocketChannel tcp = ServerSocketChannel.open()) {
			InetPortReservationInstance instance = new InetPortReservationInstance();
			assertThat(acquire(unix, InetPortRange.of(0, 2), 4, instance, 16)).isEqualTo(WinSock.WSAEOPNOTSUPP);
			assertThat(ioctl(tcp, 0x98000070, InetPortReservationToken.of(1), 8)).isEqualTo(WinSock.WSAEOPNOTSUPP);
		}
	}

	@Test
	void aRuntimeReservationEndsWithItsSocket() throws Exception {
		InetPortReservationInstance instance = new InetPortReservationInstance();
		try (ServerSocketChannel anchor = ServerSocketChannel.open()) {
			assertThat(acquire(anchor, InetPortRange.of(0, 3), 4, instance, 16)).isZero();
			assertThat(WindowsSimulator.controls().winsim_runtime_count()).isOne();
		}
		assertThat(WindowsSimulator.controls().winsim_runtime_count()).isZero();
		PortBlock block = new PortBlock(instance.Reservation.startPort(), instance.Reservation.numberOfPorts());
		try (ServerSocketChannel again = ServerSocketChannel.open()) {
			assertThat(acquire(again, InetPortRange.of(block.startPort(), block.count()), 4,
					new InetPortReservationInstance(), 16))
				.isZero();
		}
	}

	@Test
	void theLastErrorIsPerThread() throws Exception {
		try (ServerSocketChannel socket = ServerSocketChannel.open()) {
			assertThat(ioctl(socket, WinSock.SIO_RELEASE_PORT_RESERVATION, InetPortReservationToken.of(42), 8))
				.isEqualTo(WinSock.WSAEINVAL);
			int otherThread = CompletableFuture.supplyAsync(this.winSock::WSAGetLastError)
				.get(GuardTimeouts.seconds(10), TimeUnit.SECONDS);
			assertThat(otherThread).isZero();
			assertThat(this.winSock.WSAGetLastError()).isEqualTo(WinSock.WSAEINVAL);
		}
	}

	@Test
	void tokensAreUnsigned64BitValues() {
		LongByReference token = new LongByReference();
		short start = NetworkByteOrder.toNetwork(0xA141);
		assertThat(this.ipHelper.CreatePersistentTcpPortReservation(start, (short) 2, token)).isZero();
		try {
			assertThat(Long.compareUnsigned(token.getValue(), Long.MAX_VALUE)).isPositive();
		}
		finally {
			assertThat(this.ipHelper.DeletePersistentTcpPortReservation(start, (short) 2)).isZero();
		}
	}

	private int acquire(NetworkChannel socket, InetPortRange range, int inSize, InetPortReservationInstance out,
			int outSize) {
		IntByReference returned = new IntByReference();
		int result = this.winSock.WSAIoctl(this.handles.of(socket), WinSock.SIO_ACQUIRE_PORT_RESERVATION,
				range.getPointer(), inSize, out.getPointer(), outSize, returned, null, null);
		if (result == WinSock.SOCKET_ERROR) {
			return this.winSock.WSAGetLastError();
		}
		assertThat(returned.getValue()).isEqualTo(16);
		out.read();
		return result;
	}

	private int ioctl(NetworkChannel socket, int code, InetPortReservationToken token, int inSize) {
		int result = this.winSock.WSAIoctl(this.handles.of(socket), code, token.getPointer(), inSize, null, 0,
				new IntByReference(), null, null);
		return (result == WinSock.SOCKET_ERROR) ? this.winSock.WSAGetLastError() : result;
	}

}
