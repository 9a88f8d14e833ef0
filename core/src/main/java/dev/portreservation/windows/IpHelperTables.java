package dev.portreservation.windows;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The owner tables of the IP Helper API ({@code iphlpapi.dll}): every TCP and UDP
 * endpoint with the pid of its process. {@code DWORD} / {@code ULONG} / {@code BOOL} are
 * Java {@code int}s.
 *
 * @see <a href=
 * "https://learn.microsoft.com/windows/win32/api/iphlpapi/nf-iphlpapi-getextendedtcptable">GetExtendedTcpTable</a>
 * @see <a href=
 * "https://learn.microsoft.com/windows/win32/api/iphlpapi/nf-iphlpapi-getextendedudptable">GetExtendedUdpTable</a>
 */
public interface IpHelperTables extends Library {

	/** {@code AF_INET}. */
	int AF_INET = 2;

	/** {@code AF_INET6} on Windows. */
	int AF_INET6 = 23;

	/**
	 * {@code TCP_TABLE_OWNER_PID_ALL}: listeners and connections, with the owning pid.
	 */
	int TCP_TABLE_OWNER_PID_ALL = 5;

	/** {@code UDP_TABLE_OWNER_PID}: bound UDP endpoints with the owning pid. */
	int UDP_TABLE_OWNER_PID = 1;

	/**
	 * The buffer is too small (or {@code NULL}); the size needed is in {@code *pdwSize}.
	 */
	int ERROR_INSUFFICIENT_BUFFER = 122;

	/**
	 * @param pTcpTable the buffer, or {@code null} to ask for the size
	 * @param pdwSize in: the buffer's size; out: the size needed or written
	 * @param bOrder whether to sort
	 * @param ulAf {@link #AF_INET} or {@link #AF_INET6}
	 * @param TableClass a {@code TCP_TABLE_CLASS}
	 * @param Reserved 0
	 * @return {@code NO_ERROR}, {@link #ERROR_INSUFFICIENT_BUFFER} or another error code
	 */
	int GetExtendedTcpTable(Pointer pTcpTable, IntByReference pdwSize, int bOrder, int ulAf, int TableClass,
			int Reserved);

	/**
	 * @param pUdpTable the buffer, or {@code null} to ask for the size
	 * @param pdwSize in: the buffer's size; out: the size needed or written
	 * @param bOrder whether to sort
	 * @param ulAf {@link #AF_INET} or {@link #AF_INET6}
	 * @param TableClass a {@code UDP_TABLE_CLASS}
	 * @param Reserved 0
	 * @return {@code NO_ERROR}, {@link #ERROR_INSUFFICIENT_BUFFER} or another error code
	 */
	int GetExtendedUdpTable(Pointer pUdpTable, IntByReference pdwSize, int bOrder, int ulAf, int TableClass,
			int Reserved);

}
