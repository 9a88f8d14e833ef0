package dev.portreservation.windows;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.win32.StdCallLibrary;

/**
 * The parts of WinSock ({@code ws2_32.dll}) the port reservation IOCTLs need.
 * <p>
 * A socket handle is a {@link SocketHandle} ({@code SOCKET}, a {@code UINT_PTR});
 * {@code DWORD} arguments are Java {@code int}s holding the unsigned 32-bit value (the
 * IOCTL codes are above {@link Integer#MAX_VALUE}). The functions are {@code WSAAPI},
 * which is {@code __stdcall} on 32-bit Windows: a {@link StdCallLibrary} tells JNA so
 * (elsewhere, including the simulator on Linux, JNA uses the platform's only convention).
 * A failed call's error is read with {@code Native.getLastError()} right after it: JNA
 * captures the thread's last error ({@code GetLastError()} on Windows, {@code errno}
 * elsewhere) as the call returns.
 *
 * @see <a href=
 * "https://learn.microsoft.com/windows/win32/api/winsock2/nf-winsock2-wsaioctl">WSAIoctl</a>
 */
public interface WinSock extends StdCallLibrary {

	/** The library name on Windows. */
	String LIBRARY = "ws2_32";

	/**
	 * {@code _WSAIOW(IOC_VENDOR, 100)}: input {@link InetPortRange}, output
	 * {@link InetPortReservationInstance}.
	 * @see <a href=
	 * "https://learn.microsoft.com/windows/win32/winsock/sio-acquire-port-reservation">SIO_ACQUIRE_PORT_RESERVATION</a>
	 */
	int SIO_ACQUIRE_PORT_RESERVATION = 0x98000064;

	/**
	 * {@code _WSAIOW(IOC_VENDOR, 101)}: input {@link InetPortReservationToken}, no
	 * output.
	 * @see <a href=
	 * "https://learn.microsoft.com/windows/win32/winsock/sio-release-port-reservation">SIO_RELEASE_PORT_RESERVATION</a>
	 */
	int SIO_RELEASE_PORT_RESERVATION = 0x98000065;

	/**
	 * {@code _WSAIOW(IOC_VENDOR, 102)}: input {@link InetPortReservationToken}, no
	 * output; before bind.
	 * @see <a href=
	 * "https://learn.microsoft.com/windows/win32/winsock/sio-associate-port-reservation">SIO_ASSOCIATE_PORT_RESERVATION</a>
	 */
	int SIO_ASSOCIATE_PORT_RESERVATION = 0x98000066;

	/**
	 * What {@code WSAIoctl} returns on failure; the error is then the thread's last
	 * error.
	 */
	int SOCKET_ERROR = -1;

	/**
	 * The I/O operation has been aborted (the socket was closed or the request
	 * cancelled).
	 */
	int WSA_OPERATION_ABORTED = 995;

	/**
	 * A blocking call was interrupted (the socket was closed or the request cancelled).
	 */
	int WSAEINTR = 10004;

	/** Access denied: a persistent reservation used without elevation. */
	int WSAEACCES = 10013;

	/** A buffer pointer is invalid or a buffer size too small. */
	int WSAEFAULT = 10014;

	/** An invalid argument: unknown token, socket already bound, bad block. */
	int WSAEINVAL = 10022;

	/** The handle is not a socket. */
	int WSAENOTSOCK = 10038;

	/** The socket is not TCP or UDP, or its provider does not support the IOCTL. */
	int WSAEOPNOTSUPP = 10045;

	/** The block overlaps a reserved range or ports in use. */
	int WSAEADDRINUSE = 10048;

	/** The address is not an address of this machine. */
	int WSAEADDRNOTAVAIL = 10049;

	/** No buffer space: the system has no free block of the requested size. */
	int WSAENOBUFS = 10055;

	/**
	 * {@code int WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
	 * LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED lpOverlapped,
	 * LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)}.
	 * @param s the socket
	 * @param dwIoControlCode the IOCTL
	 * @param lpvInBuffer input structure
	 * @param cbInBuffer its size
	 * @param lpvOutBuffer output structure, or {@code null}
	 * @param cbOutBuffer its size
	 * @param lpcbBytesReturned bytes written to the output
	 * @param lpOverlapped {@code null}: the call is synchronous
	 * @param lpCompletionRoutine {@code null}
	 * @return 0, or {@link #SOCKET_ERROR}
	 */
	int WSAIoctl(SocketHandle s, int dwIoControlCode, Pointer lpvInBuffer, int cbInBuffer, Pointer lpvOutBuffer,
			int cbOutBuffer, IntByReference lpcbBytesReturned, Pointer lpOverlapped, Pointer lpCompletionRoutine);

	/**
	 * The error of the last failed WinSock call on this thread. The backend does not call
	 * it: a second native call after the failed one leaves room for other code to
	 * overwrite the error (the JDK itself rewrites a bind's WSAEACCES to WSAEADDRINUSE);
	 * JNA's {@code Native.getLastError()} holds the value captured as the failed call
	 * returned.
	 * @return the WinSock error code
	 * @see <a href=
	 * "https://learn.microsoft.com/windows/win32/api/winsock/nf-winsock-wsagetlasterror">WSAGetLastError</a>
	 */
	int WSAGetLastError();

}
