package dev.portreservation.windows;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every documented error code of the Windows port reservation API, produced by the
 * simulator (by its documented behaviour where it can, forced where only Windows can
 * produce it), mapped to a reason with the native code kept, and nothing left reserved
 * afterwards.
 */
@GuardTimeout(60)
class WindowsErrorMappingTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private final List<AutoCloseable> cleanup = new ArrayList<>();

	private WindowsPortReservations backend;

	@BeforeEach
	void loadBackendOnSimulator() {
		WindowsSimulator.assumeAvailable();
		WindowsSimulator.reset(false);
		this.backend = WindowsSimulator.backend();
	}

	@AfterEach
	void closeEverything() throws Exception {
		WindowsSimulator.closeAllThenReset(this.cleanup, this.backend != null);
	}

	@ParameterizedTest(name = "SIO_ACQUIRE_PORT_RESERVATION {0} -> {1}")
	@CsvSource({ "10013, ACCESS_DENIED", "10022, INVALID", "10045, UNSUPPORTED", "10048, CONFLICT",
			"10004, SYSTEM_ERROR", "995, SYSTEM_ERROR", "10014, SYSTEM_ERROR" })
	void acquireErrorsAreMappedAndLeaveNothingReserved(int code, Reason reason) {
		PortBlock block = freeBlock(2);
		WindowsSimulator.controls().winsim_fail_next("WSAIoctl", code);
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.acquireRuntime(Protocol.TCP, block))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(reason);
				assertThat(ex.getNativeCode()).contains((long) code);
				assertThat(ex.getBlock()).contains(block);
				assertThat(ex.getMessage()).contains("SIO_ACQUIRE_PORT_RESERVATION").contains("(" + code + ")");
			});
		assertThat(WindowsSimulator.controls().winsim_runtime_count()).isZero();
		// The block is still free: nothing was left half-reserved.
		track(this.backend.acquireRuntime(Protocol.TCP, block));
	}

	@Test
	void wildcardAcquireWithoutAFreeBlockIsExhausted() {
		WindowsSimulator.controls().winsim_fail_next("WSAIoctl", WinSock.WSAEADDRINUSE);
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.acquireRuntime(Protocol.UDP, 4))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.EXHAUSTED);
				assertThat(ex.getNativeCode()).contains(10048L);
			});
	}

	@Test
	void acquireOverAReservedRangeIsAConflictWithWsaeaddrinuse() {
		PortBlock block = freeBlock(4);
		track(this.backend.acquireRuntime(Protocol.UDP, block));
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.acquireRuntime(Protocol.UDP, new PortBlock(block.endPort(), 2)))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT);
				assertThat(ex.getNativeCode()).contains(10048L);
			});
		// TCP and UDP are separate pools.
		track(this.backend.acquireRuntime(Protocol.TCP, block));
	}

	@Test
	void createPersistentWithoutElevationIsAccessDeniedWithTheUacAdvice() {
		PortBlock block = freeBlock(2);
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.createPersistent(Protocol.TCP, block))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.ACCESS_DENIED);
				assertThat(ex.getNativeCode()).contains(5L);
				assertThat(ex.getMessage()).contains("ERROR_ACCESS_DENIED")
					.contains("elevated")
					.contains("Run as administrator")
					.contains("UAC")
					.contains("requireAdministrator");
			});
		assertThat(this.backend.lookupPersistent(Protocol.TCP, block)).isEmpty();
	}

	@Test
	void deletePersistentWithoutElevationIsAccessDenied() {
		PortBlock block = freeBlock(2);
		WindowsSimulator.controls().winsim_set_admin(1);
		track(this.backend.createPersistent(Protocol.UDP, block));
		WindowsSimulator.controls().winsim_set_admin(0);
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.deletePersistent(Protocol.UDP, block))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.ACCESS_DENIED);
				assertThat(ex.getNativeCode()).contains(5L);
			});
		assertThat(this.backend.lookupPersistent(Protocol.UDP, block)).isPresent();
	}

	@Test
	void bindThroughAPersistentBlockWithoutElevationIsAccessDeniedWithWsaeacces() throws Exception {
		PortBlock block = freeBlock(2);
		WindowsSimulator.controls().winsim_set_admin(1);
		track(this.backend.createPersistent(Protocol.TCP, block));
		WindowsSimulator.controls().winsim_set_admin(0);
		PortReservation found = track(this.backend.lookupPersistent(Protocol.TCP, block).orElseThrow());
		ServerSocketChannel channel = track(ServerSocketChannel.open());
		assertThatExceptionOfType(PortReservationException.class).isThrownBy(() -> found.bind(channel, LOOPBACK, 0))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.ACCESS_DENIED);
				assertThat(ex.getNativeCode()).contains(10013L);
				assertThat(ex.getMessage()).contains("SIO_ASSOCIATE_PORT_RESERVATION")
					.contains("WSAEACCES")
					.contains("UAC");
			});
		assertThat(channel.getLocalAddress()).isNull();
		assertThat(found.portsInUse()).isZero();
	}

	@Test
	void overlappingPersistentCreateIsASharingViolation() {
		PortBlock block = freeBlock(4);
		WindowsSimulator.controls().winsim_set_admin(1);
		track(this.backend.createPersistent(Protocol.TCP, block));
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.createPersistent(Protocol.TCP, new PortBlock(block.startPort() + 3, 3)))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT);
				assertThat(ex.getNativeCode()).contains(32L);
				assertThat(ex.getMessage()).contains("ERROR_SHARING_VIOLATION");
			});
	}

	@Test
	void persistentCreateOverAPortInUseIsASharingViolation() throws Exception {
		PortBlock block = freeBlock(3);
		DatagramChannel squatter = track(DatagramChannel.open());
		squatter.bind(new java.net.InetSocketAddress(LOOPBACK, block.startPort() + 1));
		WindowsSimulator.controls().winsim_set_admin(1);
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.createPersistent(Protocol.UDP, block))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT);
				assertThat(ex.getNativeCode()).contains(32L);
			});
	}

	@Test
	void deleteOfAnUnknownBlockIsNotFoundAndLookupIsEmpty() {
		PortBlock block = freeBlock(2);
		WindowsSimulator.controls().winsim_set_admin(1);
		assertThat(this.backend.lookupPersistent(Protocol.TCP, block)).isEmpty();
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.deletePersistent(Protocol.TCP, block))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.NOT_FOUND);
				assertThat(ex.getNativeCode()).contains(1168L);
				assertThat(ex.getMessage()).contains("ERROR_NOT_FOUND");
			});
	}

	@ParameterizedTest(name = "{0} returning {1} -> {2}")
	@CsvSource({ "CreatePersistentTcpPortReservation, 87, INVALID", "CreatePersistentUdpPortReservation, 87, INVALID",
			"LookupPersistentTcpPortReservation, 87, INVALID", "LookupPersistentUdpPortReservation, 5, ACCESS_DENIED",
			"DeletePersistentTcpPortReservation, 87, INVALID", "DeletePersistentUdpPortReservation, 50, UNSUPPORTED",
			"CreatePersistentTcpPortReservation, 50, UNSUPPORTED", "CreatePersistentUdpPortReservation, 32, CONFLICT",
			"LookupPersistentTcpPortReservation, 31, SYSTEM_ERROR" })
	void ipHelperErrorsAreMappedWithTheirCode(String function, int code, Reason reason) {
		PortBlock block = freeBlock(2);
		Protocol protocol = function.contains("Tcp") ? Protocol.TCP : Protocol.UDP;
		WindowsSimulator.controls().winsim_set_admin(1);
		if (function.startsWith("Delete")) {
			this.backend.createPersistent(protocol, block).close();
		}
		WindowsSimulator.controls().winsim_fail_next(function, code);
		assertThatExceptionOfType(PortReservationException.class).isThrownBy(() -> {
			if (function.startsWith("Create")) {
				this.backend.createPersistent(protocol, block);
			}
			else if (function.startsWith("Lookup")) {
				this.backend.lookupPersistent(protocol, block);
			}
			else {
				this.backend.deletePersistent(protocol, block);
			}
		}).satisfies((ex) -> {
			assertThat(ex.getReason()).isEqualTo(reason);
			assertThat(ex.getNativeCode()).contains((long) code);
			assertThat(ex.getProtocol()).contains(protocol);
			assertThat(ex.getMessage()).startsWith(function);
		});
	}

	@ParameterizedTest(name = "SIO_ASSOCIATE_PORT_RESERVATION {0} -> {1}")
	@CsvSource({ "10013, ACCESS_DENIED", "10022, INVALID", "10045, UNSUPPORTED", "10004, SYSTEM_ERROR",
			"995, SYSTEM_ERROR" })
	void associateErrorsFailTheBindAndLeaveTheChannelUnbound(int code, Reason reason) throws Exception {
		PortReservation reservation = track(this.backend.acquireRuntime(Protocol.UDP, freeBlock(2)));
		DatagramChannel channel = track(DatagramChannel.open());
		WindowsSimulator.controls().winsim_fail_next("WSAIoctl", code);
		assertThatExceptionOfType(PortReservationException.class).isThrownBy(() -> reservation.bind(channel, LOOPBACK))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(reason);
				assertThat(ex.getNativeCode()).contains((long) code);
			});
		assertThat(channel.getLocalAddress()).isNull();
		assertThat(reservation.bind(channel, LOOPBACK)).isBetween(reservation.block().startPort(),
				reservation.block().endPort());
	}

	@Test
	void releaseFailureIsReportedAndTheAnchorSocketStillEndsTheReservation() {
		PortBlock block = freeBlock(2);
		PortReservation reservation = this.backend.acquireRuntime(Protocol.TCP, block);
		assertThat(WindowsSimulator.controls().winsim_runtime_count()).isOne();
		WindowsSimulator.controls().winsim_fail_next("WSAIoctl", WinSock.WSAEINTR);
		assertThatExceptionOfType(PortReservationException.class).isThrownBy(reservation::close).satisfies((ex) -> {
			assertThat(ex.getReason()).isEqualTo(Reason.SYSTEM_ERROR);
			assertThat(ex.getNativeCode()).contains(10004L);
			assertThat(ex.getMessage()).contains("SIO_RELEASE_PORT_RESERVATION").contains("WSAEINTR");
		});
		assertThat(reservation.isOpen()).isFalse();
		assertThat(WindowsSimulator.controls().winsim_runtime_count()).isZero();
		track(this.backend.acquireRuntime(Protocol.TCP, block));
	}

	@Test
	void fullBlockFailsTheBindOfAnAssociatedSocketAsExhausted() throws Exception {
		PortReservation reservation = track(this.backend.acquireRuntime(Protocol.UDP, freeBlock(1)));
		reservation.bind(track(DatagramChannel.open()), LOOPBACK);
		DatagramChannel second = track(DatagramChannel.open());
		assertThatExceptionOfType(PortReservationException.class).isThrownBy(() -> reservation.bind(second, LOOPBACK))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.EXHAUSTED);
				// BindException from the kernel's IP_LOCAL_PORT_RANGE; preloaded, the
				// simulator's WSAENOBUFS
				// arrives as the plain SocketException the JDK on Windows throws for it.
				assertThat(ex.getCause()).isInstanceOf(SocketException.class);
			});
		assertThat(second.getLocalAddress()).isNull();
	}

	@ParameterizedTest(name = "the JDK reporting {0}")
	@CsvSource({ "BindException, Address already in use", "SocketException, No buffer space available",
			"BindException, Permission denied" })
	void aFailedBindIsClassifiedFromWhatTheReservationKnowsNotFromTheJdksMessage(String type, String message)
			throws Exception {
		SocketException jdk = type.equals("BindException") ? new BindException(message) : new SocketException(message);
		PortBlock block = freeBlock(4);
		WindowsSimulator.controls().winsim_set_admin(1);
		WindowsPortReservation granted = (WindowsPortReservation) track(
				this.backend.createPersistent(Protocol.TCP, block));
		InetSocketAddress any = new InetSocketAddress(LOOPBACK, 0);
		assertThat(granted.bindFailure(any, 0, jdk).getReason()).isEqualTo(Reason.EXHAUSTED);
		assertThat(
				granted.bindFailure(new InetSocketAddress(LOOPBACK, block.startPort() + 1), block.startPort() + 1, jdk)
					.getReason())
			.isEqualTo(Reason.CONFLICT);
		PortReservationException foreign = granted
			.bindFailure(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 0), 0, jdk);
		assertThat(foreign.getReason()).isEqualTo(Reason.INVALID);
		assertThat(foreign.getMessage()).contains("192.0.2.1").contains(message);
		WindowsSimulator.controls().winsim_set_admin(0);
		PortReservationException denied = granted.bindFailure(any, 0, jdk);
		assertThat(denied.getReason()).isEqualTo(Reason.ACCESS_DENIED);
		assertThat(denied.getNativeCode()).contains((long) WinSock.WSAEACCES);
		assertThat(denied.getMessage()).contains(message).contains("UAC");
		WindowsSimulator.controls().winsim_set_admin(1);
		this.backend.deletePersistent(Protocol.TCP, block);
		PortReservationException gone = granted.bindFailure(any, 0, jdk);
		assertThat(gone.getReason()).isEqualTo(Reason.NOT_FOUND);
		assertThat(gone.getNativeCode()).contains((long) WinSock.WSAEINVAL);
		assertThat(gone.getMessage()).contains("deleted by another process");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "10055, EXHAUSTED", "10048, CONFLICT" })
	void noBufferSpaceIsExhaustionWhateverTheRequest(int code, Reason specific) {
		PortBlock block = freeBlock(2);
		WindowsSimulator.controls().winsim_fail_next("WSAIoctl", code);
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.acquireRuntime(Protocol.TCP, block))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(specific));
		WindowsSimulator.controls().winsim_fail_next("WSAIoctl", code);
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.acquireRuntime(Protocol.TCP, 2))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.EXHAUSTED));
	}

	@Test
	void badWildcardCountIsRejectedBeforeAnyNativeCall() {
		WindowsSimulator.controls().winsim_fail_next("WSAIoctl", WinSock.WSAEINTR);
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.acquireRuntime(Protocol.TCP, 65536))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.INVALID);
				assertThat(ex.getMessage()).contains("65536").doesNotContain("portreservation.");
			});
		// The forced failure is still pending: no native call was made.
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.acquireRuntime(Protocol.TCP, 1))
			.satisfies((ex) -> assertThat(ex.getNativeCode()).contains(10004L));
	}

	private PortBlock freeBlock(int count) {
		return WindowsSimulator.freeBlock(this.backend, count);
	}

	private <T extends AutoCloseable> T track(T closeable) {
		this.cleanup.add(closeable);
		return closeable;
	}

}
