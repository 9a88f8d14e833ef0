package dev.portreservation.windows;

import com.sun.jna.ptr.LongByReference;
import com.sun.jna.win32.StdCallLibrary;

/**
 * The persistent port reservation functions of the IP Helper API ({@code iphlpapi.dll}).
 * Every {@code StartPort} is in network byte order
 * ({@link NetworkByteOrder#toNetwork(int)}); a token is an unsigned 64-bit value held in
 * a Java {@code long}; the {@code ULONG} result is an unsigned 32-bit code held in an
 * {@code int}. The functions are {@code WINAPI} ({@code __stdcall} on 32-bit Windows),
 * hence a {@link StdCallLibrary}.
 *
 * @see <a href=
 * "https://learn.microsoft.com/windows/win32/api/iphlpapi/nf-iphlpapi-createpersistenttcpportreservation">CreatePersistentTcpPortReservation</a>
 */
public interface IpHelper extends StdCallLibrary {

	/** The library name on Windows. */
	String LIBRARY = "iphlpapi";

	/** Success. */
	int NO_ERROR = 0;

	/** Not elevated: the caller is not an administrator, or UAC filtered the token. */
	int ERROR_ACCESS_DENIED = 5;

	/** No IPv4 stack, or the function is not supported. */
	int ERROR_NOT_SUPPORTED = 50;

	/** A port of the block is in use, or the block overlaps a persistent reservation. */
	int ERROR_SHARING_VIOLATION = 32;

	/** A zero start port or count, or a block ending above the highest port. */
	int ERROR_INVALID_PARAMETER = 87;

	/** No persistent reservation of exactly this block exists. */
	int ERROR_NOT_FOUND = 1168;

	/**
	 * @param StartPort first port, network byte order
	 * @param NumberOfPorts number of ports
	 * @param Token receives the token
	 * @return {@link #NO_ERROR} or an error code
	 */
	int CreatePersistentTcpPortReservation(short StartPort, short NumberOfPorts, LongByReference Token);

	/**
	 * @param StartPort first port, network byte order
	 * @param NumberOfPorts number of ports
	 * @param Token receives the token
	 * @return {@link #NO_ERROR} or an error code
	 * @see <a href=
	 * "https://learn.microsoft.com/windows/win32/api/iphlpapi/nf-iphlpapi-createpersistentudpportreservation">CreatePersistentUdpPortReservation</a>
	 */
	int CreatePersistentUdpPortReservation(short StartPort, short NumberOfPorts, LongByReference Token);

	/**
	 * @param StartPort first port, network byte order
	 * @param NumberOfPorts number of ports
	 * @param Token receives the token
	 * @return {@link #NO_ERROR} or an error code
	 * @see <a href=
	 * "https://learn.microsoft.com/windows/win32/api/iphlpapi/nf-iphlpapi-lookuppersistenttcpportreservation">LookupPersistentTcpPortReservation</a>
	 */
	int LookupPersistentTcpPortReservation(short StartPort, short NumberOfPorts, LongByReference Token);

	/**
	 * @param StartPort first port, network byte order
	 * @param NumberOfPorts number of ports
	 * @param Token receives the token
	 * @return {@link #NO_ERROR} or an error code
	 * @see <a href=
	 * "https://learn.microsoft.com/windows/win32/api/iphlpapi/nf-iphlpapi-lookuppersistentudpportreservation">LookupPersistentUdpPortReservation</a>
	 */
	int LookupPersistentUdpPortReservation(short StartPort, short NumberOfPorts, LongByReference Token);

	/**
	 * @param StartPort first port, network byte order
	 * @param NumberOfPorts number of ports
	 * @return {@link #NO_ERROR} or an error code
	 * @see <a href=
	 * "https://learn.microsoft.com/windows/win32/api/iphlpapi/nf-iphlpapi-deletepersistenttcpportreservation">DeletePersistentTcpPortReservation</a>
	 */
	int DeletePersistentTcpPortReservation(short StartPort, short NumberOfPorts);

	/**
	 * @param StartPort first port, network byte order
	 * @param NumberOfPorts number of ports
	 * @return {@link #NO_ERROR} or an error code
	 * @see <a href=
	 * "https://learn.microsoft.com/windows/win32/api/iphlpapi/nf-iphlpapi-deletepersistentudpportreservation">DeletePersistentUdpPortReservation</a>
	 */
	int DeletePersistentUdpPortReservation(short StartPort, short NumberOfPorts);

}
