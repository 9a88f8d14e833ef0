package dev.portreservation.windows;

import java.util.List;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Operation;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

/**
 * Maps the Win32 codes of the IP Helper functions and the WinSock codes of the IOCTLs to
 * a {@link Reason} and a message that says what to do. The native code always travels
 * with the exception.
 */
final class WindowsErrors {

	static final String ELEVATION_HINT = "persistent port reservations need an elevated administrator: run the "
			+ "application as the built-in Administrator or from an elevated shell ('Run as administrator'); "
			+ "under UAC a member of the Administrators group is filtered to a standard user unless the "
			+ "application manifest requests requestedExecutionLevel=requireAdministrator. A runtime reservation "
			+ "needs no elevation";

	private WindowsErrors() {
	}

	/**
	 * The reason for a WinSock error of a port reservation IOCTL.
	 * @param code the {@code WSAGetLastError()} value
	 * @param wildcard whether the request let the system choose the block
	 * @return the reason
	 */
	static Reason winSockReason(int code, boolean wildcard) {
		return switch (code) {
			case WinSock.WSAEACCES -> Reason.ACCESS_DENIED;
			// A wildcard request cannot overlap anything: no free block of that size is
			// left.
			case WinSock.WSAEADDRINUSE -> wildcard ? Reason.EXHAUSTED : Reason.CONFLICT;
			// The system ran out of what was asked for, whatever the request.
			case WinSock.WSAENOBUFS -> Reason.EXHAUSTED;
			case WinSock.WSAEINVAL -> Reason.INVALID;
			case WinSock.WSAEOPNOTSUPP -> Reason.UNSUPPORTED;
			default -> Reason.SYSTEM_ERROR;
		};
	}

	/**
	 * The reason for the result of a Create/Lookup/Delete
	 * Persistent{Tcp,Udp}PortReservation call.
	 * @param code the returned {@code ULONG}
	 * @return the reason
	 */
	static Reason ipHelperReason(int code) {
		return switch (code) {
			case IpHelper.ERROR_ACCESS_DENIED -> Reason.ACCESS_DENIED;
			case IpHelper.ERROR_SHARING_VIOLATION -> Reason.CONFLICT;
			case IpHelper.ERROR_INVALID_PARAMETER -> Reason.INVALID;
			case IpHelper.ERROR_NOT_FOUND -> Reason.NOT_FOUND;
			case IpHelper.ERROR_NOT_SUPPORTED -> Reason.UNSUPPORTED;
			default -> Reason.SYSTEM_ERROR;
		};
	}

	/**
	 * @param operation what was called, e.g. {@code "SIO_ACQUIRE_PORT_RESERVATION"}
	 * @param code the WinSock error
	 * @param wildcard whether the system was to choose the block
	 * @param persistent whether a persistent reservation was concerned
	 * @param block the block, or {@code null}
	 * @param protocol the protocol
	 * @return the exception to throw
	 */
	static PortReservationException winSock(String operation, int code, boolean wildcard, boolean persistent,
			PortBlock block, Protocol protocol) {
		return winSock(operation, code, wildcard, persistent, block, protocol, List.of());
	}

	/**
	 * As {@link #winSock(String, int, boolean, boolean, PortBlock, Protocol)}, naming who
	 * holds the ports.
	 * @param holders the holders found for the block, possibly none
	 */
	static PortReservationException winSock(String operation, int code, boolean wildcard, boolean persistent,
			PortBlock block, Protocol protocol, List<PortHolder> holders) {
		Reason reason = winSockReason(code, wildcard);
		return failure(reason, operation, code, winSockName(code), advice(reason, code, wildcard, persistent), block,
				protocol, holders);
	}

	/**
	 * @param function the WinSock control code or IP Helper function that failed
	 * @return what the caller was doing
	 */
	static Operation operationOf(String function) {
		if (function.startsWith("SIO_ACQUIRE")) {
			return Operation.ACQUIRE_RUNTIME;
		}
		if (function.startsWith("SIO_RELEASE")) {
			return Operation.RELEASE;
		}
		if (function.startsWith("Create")) {
			return Operation.CREATE_PERSISTENT;
		}
		if (function.startsWith("Lookup")) {
			return Operation.LOOKUP_PERSISTENT;
		}
		if (function.startsWith("Delete")) {
			return Operation.DELETE_PERSISTENT;
		}
		// SIO_ASSOCIATE_PORT_RESERVATION: a channel's bind through the block.
		return Operation.BIND;
	}

	/**
	 * @param function the IP Helper function called
	 * @param code its result
	 * @param block the block
	 * @param protocol the protocol
	 * @return the exception to throw
	 */
	static PortReservationException ipHelper(String function, int code, PortBlock block, Protocol protocol) {
		return ipHelper(function, code, block, protocol, List.of());
	}

	/**
	 * As {@link #ipHelper(String, int, PortBlock, Protocol)}, naming who holds the ports.
	 * @param holders the holders found for the block, possibly none
	 */
	static PortReservationException ipHelper(String function, int code, PortBlock block, Protocol protocol,
			List<PortHolder> holders) {
		Reason reason = ipHelperReason(code);
		return failure(reason, function, code, ipHelperName(code), advice(reason, code, false, true), block, protocol,
				holders);
	}

	/** A native call's failure: what was called, the error's name and the advice. */
	private static PortReservationException failure(Reason reason, String function, int code, String codeName,
			String advice, PortBlock block, Protocol protocol, List<PortHolder> holders) {
		return PortReservationException
			.builder(reason, function + " failed with " + codeName + ": " + advice + PortHolder.describeAll(holders))
			.operation(operationOf(function))
			.block(block)
			.protocol(protocol)
			.nativeCode(Integer.toUnsignedLong(code))
			.backend(WindowsPortReservations.NAME)
			.holders(holders)
			.build();
	}

	private static String advice(Reason reason, int code, boolean wildcard, boolean persistent) {
		return switch (reason) {
			case ACCESS_DENIED -> persistent ? ELEVATION_HINT : "access denied; " + ELEVATION_HINT;
			case CONFLICT -> "the block overlaps another port reservation or a port of it is in use; pick another "
					+ "start-port ('netsh interface ipv4 show excludedportrange protocol=tcp' lists reserved "
					+ "blocks)";
			case EXHAUSTED ->
				wildcard ? "the system has no free block of that many ports; ask for fewer ports" : "no free port left";
			case INVALID -> (code == WinSock.WSAEINVAL)
					? "invalid argument: the token is unknown (the reservation was released, or its socket closed), "
							+ "the socket is already bound, or the block is empty or ends above port 65535"
					: "invalid parameter: a zero start port or count, or a block ending above port 65535";
			case NOT_FOUND -> "no persistent reservation of exactly this block exists";
			case UNSUPPORTED -> "this socket or system does not support port reservations (only TCP and UDP "
					+ "sockets do, on Windows Vista / Server 2008 and later; Wine does not implement them)";
			default -> switch (code) {
				case WinSock.WSAEINTR, WinSock.WSA_OPERATION_ABORTED ->
					"the request was interrupted or aborted (the socket was closed or the I/O cancelled); retry";
				case WinSock.WSAEFAULT -> "a buffer is invalid or too small; this is a bug in the caller";
				case WinSock.WSAENOTSOCK -> "the handle is not a socket";
				default -> "unexpected error";
			};
		};
	}

	static String winSockName(int code) {
		String name = switch (code) {
			case WinSock.WSA_OPERATION_ABORTED -> "WSA_OPERATION_ABORTED";
			case WinSock.WSAEINTR -> "WSAEINTR";
			case WinSock.WSAEACCES -> "WSAEACCES";
			case WinSock.WSAEFAULT -> "WSAEFAULT";
			case WinSock.WSAEINVAL -> "WSAEINVAL";
			case WinSock.WSAENOTSOCK -> "WSAENOTSOCK";
			case WinSock.WSAEOPNOTSUPP -> "WSAEOPNOTSUPP";
			case WinSock.WSAEADDRINUSE -> "WSAEADDRINUSE";
			case WinSock.WSAEADDRNOTAVAIL -> "WSAEADDRNOTAVAIL";
			case WinSock.WSAENOBUFS -> "WSAENOBUFS";
			default -> "WinSock error";
		};
		return name + " (" + Integer.toUnsignedString(code) + ")";
	}

	static String ipHelperName(int code) {
		String name = switch (code) {
			case IpHelper.ERROR_ACCESS_DENIED -> "ERROR_ACCESS_DENIED";
			case IpHelper.ERROR_SHARING_VIOLATION -> "ERROR_SHARING_VIOLATION";
			case IpHelper.ERROR_NOT_SUPPORTED -> "ERROR_NOT_SUPPORTED";
			case IpHelper.ERROR_INVALID_PARAMETER -> "ERROR_INVALID_PARAMETER";
			case IpHelper.ERROR_NOT_FOUND -> "ERROR_NOT_FOUND";
			default -> "error";
		};
		return name + " (" + Integer.toUnsignedString(code) + ")";
	}

}
