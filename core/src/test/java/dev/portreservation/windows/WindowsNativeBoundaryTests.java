package dev.portreservation.windows;

import java.util.ArrayList;
import java.util.List;

import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import org.junit.jupiter.api.Test;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * What the backend does when the native side misbehaves or is missing: a stand-in WinSock
 * at the native boundary, and libraries that lack the functions (as Wine's do).
 */
class WindowsNativeBoundaryTests {

	@Test
	void aBlockOtherThanTheOneAskedForIsGivenBackAndRefused() {
		AnsweringWinSock winSock = new AnsweringWinSock(new PortBlock(0x419C, 3));
		WindowsPortReservations backend = new WindowsPortReservations(winSock, null, ChannelHandles.forThisJvm());
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> backend.acquireRuntime(Protocol.TCP, new PortBlock(0x9C41, 3)))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.SYSTEM_ERROR);
				assertThat(ex.getMessage()).contains("16796+3").contains("40001+3").contains("byte order");
			});
		assertThat(winSock.calls).containsExactly(WinSock.SIO_ACQUIRE_PORT_RESERVATION,
				WinSock.SIO_RELEASE_PORT_RESERVATION);
	}

	@Test
	void aSocketErrorWithoutAnErrorCodeIsStillAFailure() {
		WinSock silent = new AnsweringWinSock(null);
		WindowsPortReservations backend = new WindowsPortReservations(silent, null, ChannelHandles.forThisJvm());
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> backend.acquireRuntime(Protocol.UDP, 2))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.SYSTEM_ERROR));
	}

	@Test
	void aMissingLibraryIsUnsupported() {
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> new WindowsPortReservations("no-such-winsock-library", "no-such-iphlpapi"))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.UNSUPPORTED);
				assertThat(ex.getMessage()).contains("no-such-winsock-library");
			});
	}

	@Test
	void aLibraryWithoutTheFunctionsIsUnsupported() {
		// The math library, not the C library: JNA resolves "c" through the whole
		// process, where an earlier
		// test may already have loaded the simulator, which has the functions.
		assumeThat(Platform.isLinux()).as("uses the C math library as a library without the functions").isTrue();
		WinSock noWinSock = WindowsPortReservations.load("m", WinSock.class);
		IpHelper noIpHelper = WindowsPortReservations.load("m", IpHelper.class);
		WindowsPortReservations backend = new WindowsPortReservations(noWinSock, noIpHelper,
				ChannelHandles.forThisJvm());
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> backend.lookupPersistent(Protocol.TCP, new PortBlock(40001, 2)))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.UNSUPPORTED);
				assertThat(ex.getMessage()).contains("LookupPersistentTcpPortReservation").contains("Wine");
			});
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> backend.acquireRuntime(Protocol.TCP, 2))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.UNSUPPORTED));
	}

	/**
	 * Answers SIO_ACQUIRE_PORT_RESERVATION with a fixed block (or fails without an error
	 * code when it has none) and records the IOCTLs it was given.
	 */
	private static final class AnsweringWinSock implements WinSock {

		private final PortBlock answer;

		private final List<Integer> calls = new ArrayList<>();

		AnsweringWinSock(PortBlock answer) {
			this.answer = answer;
		}

		@Override
		public int WSAIoctl(SocketHandle s, int code, Pointer in, int inSize, Pointer out, int outSize,
				IntByReference returned, Pointer overlapped, Pointer completion) {
			this.calls.add(code);
			if (this.answer == null) {
				return SOCKET_ERROR;
			}
			if (code == SIO_ACQUIRE_PORT_RESERVATION) {
				out.setShort(0, NetworkByteOrder.toNetwork(this.answer.startPort()));
				out.setShort(2, (short) this.answer.count());
				out.setLong(8, 99);
				returned.setValue(16);
			}
			return 0;
		}

		@Override
		public int WSAGetLastError() {
			return 0;
		}

	}

}
