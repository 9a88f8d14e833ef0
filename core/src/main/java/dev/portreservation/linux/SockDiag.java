package dev.portreservation.linux;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

import dev.portreservation.core.Protocol;

/**
 * The kernel's own list of sockets, through {@code NETLINK_SOCK_DIAG}
 * ({@code sock_diag(7)}): one {@code inet_diag_req_v2} dump per address family and
 * protocol, answered with an {@code inet_diag_msg} per socket (state, local address and
 * port, uid, inode). Unlike {@code /proc/net/tcp}, since Linux 6.5 it also lists TCP
 * sockets that are bound but neither listening nor connected (state
 * {@code TCP_BOUND_INACTIVE}, 13) when the request asks for that state; older kernels
 * silently leave them out, which {@link KernelSockets} detects.
 * <p>
 * Needs no privilege: every user may dump every socket of its network namespace. Values
 * are Linux's (the same on every architecture); the messages are in host byte order
 * except ports and addresses.
 */
final class SockDiag {

	static final int AF_INET = 2;

	static final int AF_INET6 = 10;

	static final int TCP_BOUND_INACTIVE = 13;

	private static final int TCP_CLOSE = 7;

	private static final int AF_NETLINK = 16;

	private static final int NETLINK_SOCK_DIAG = 4;

	private static final int SOCK_DGRAM = 2;

	private static final int SOCK_CLOEXEC = 0x80000;

	private static final int SOL_SOCKET = 1;

	private static final int SO_RCVTIMEO = 20;

	private static final int SOCK_DIAG_BY_FAMILY = 20;

	private static final int NLMSG_ERROR = 2;

	private static final int NLMSG_DONE = 3;

	private static final int NLM_F_REQUEST = 1;

	private static final int NLM_F_DUMP = 0x300;

	private static final int IPPROTO_TCP = 6;

	private static final int IPPROTO_UDP = 17;

	private static final int HEADER = 16;

	private static final int REQUEST = HEADER + 56;

	/** {@code sizeof(struct inet_diag_msg)}. */
	private static final int MESSAGE = 72;

	private static final String[] TCP_STATES = { "UNKNOWN", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
			"FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV", "BOUND" };

	private SockDiag() {
	}

	/**
	 * @param protocol TCP or UDP
	 * @param family {@link #AF_INET} or {@link #AF_INET6}
	 * @param states the bit mask of the states wanted ({@code 1 << state})
	 * @param port the local port wanted (the kernel skips other ports), or 0 for all
	 * @return the sockets of this network namespace the kernel listed, on {@code port}
	 * when it is not 0
	 * @throws IOException when the kernel refused the request (for example no diagnostic
	 * module for the protocol) or answered something this reader does not understand
	 */
	static List<ProcNetSockets.Entry> dump(Protocol protocol, int family, int states, int port) throws IOException {
		Libc libc = Libc.get();
		int fd;
		try {
			fd = libc.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
		}
		catch (LastErrorException ex) {
			throw new IOException("socket(AF_NETLINK, NETLINK_SOCK_DIAG) failed: errno " + ex.getErrorCode(), ex);
		}
		try {
			// A dump is answered at once; the timeout only guards against a kernel that
			// never says it is done.
			if (Native.LONG_SIZE == 8) {
				libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, new long[] { 5, 0 }, 16);
			}
			else {
				libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, new int[] { 5, 0 }, 8);
			}
			byte[] request = request(protocol, family, states, port);
			libc.send(fd, request, new NativeLong(request.length), 0);
			List<ProcNetSockets.Entry> entries = new ArrayList<>();
			byte[] buffer = new byte[64 * 1024];
			while (true) {
				int received = libc.recv(fd, buffer, new NativeLong(buffer.length), 0).intValue();
				if (received <= 0) {
					throw new IOException("The kernel's socket list ended without NLMSG_DONE");
				}
				if (parse(protocol, ByteBuffer.wrap(buffer, 0, received).order(ByteOrder.nativeOrder()), port,
						entries)) {
					return entries;
				}
			}
		}
		catch (LastErrorException ex) {
			throw new IOException("NETLINK_SOCK_DIAG failed: errno " + ex.getErrorCode(), ex);
		}
		finally {
			try {
				libc.close(fd);
			}
			catch (LastErrorException ex) {
				// Nothing to flush on a netlink socket.
			}
		}
	}

	private static byte[] request(Protocol protocol, int family, int states, int port) {
		ByteBuffer request = ByteBuffer.allocate(REQUEST).order(ByteOrder.nativeOrder());
		request.putInt(REQUEST);
		request.putShort((short) SOCK_DIAG_BY_FAMILY);
		request.putShort((short) (NLM_F_REQUEST | NLM_F_DUMP));
		request.putInt(1);
		request.putInt(0);
		// struct inet_diag_req_v2
		request.put((byte) family);
		request.put((byte) ((protocol == Protocol.TCP) ? IPPROTO_TCP : IPPROTO_UDP));
		request.put((byte) 0);
		request.put((byte) 0);
		request.putInt(states);
		// struct inet_diag_sockid: the source port in network order, the rest zero
		request.order(ByteOrder.BIG_ENDIAN).putShort((short) port);
		return request.array();
	}

	/**
	 * @return whether the answer is complete ({@code NLMSG_DONE} seen)
	 */
	private static boolean parse(Protocol protocol, ByteBuffer answer, int port, List<ProcNetSockets.Entry> entries)
			throws IOException {
		int offset = 0;
		int end = answer.limit();
		while (offset + HEADER <= end) {
			int length = answer.getInt(offset);
			int type = answer.getShort(offset + 4) & 0xFFFF;
			if (length < HEADER || offset + length > end) {
				throw new IOException("A netlink message of " + length + " bytes does not fit the answer");
			}
			if (type == NLMSG_DONE) {
				return true;
			}
			if (type == NLMSG_ERROR) {
				int error = (length >= HEADER + 4) ? -answer.getInt(offset + HEADER) : 0;
				throw new IOException("The kernel refused the socket list request: errno " + error);
			}
			if (type == SOCK_DIAG_BY_FAMILY && length >= HEADER + MESSAGE) {
				ProcNetSockets.Entry entry = entry(protocol, answer, offset + HEADER);
				if (port == 0 || entry.port() == port) {
					entries.add(entry);
				}
			}
			offset += (length + 3) & ~3;
		}
		return false;
	}

	private static ProcNetSockets.Entry entry(Protocol protocol, ByteBuffer answer, int at) throws IOException {
		int family = answer.get(at) & 0xFF;
		int state = answer.get(at + 1) & 0xFF;
		int port = ((answer.get(at + 4) & 0xFF) << 8) | (answer.get(at + 5) & 0xFF);
		byte[] address = new byte[(family == AF_INET6) ? 16 : 4];
		for (int i = 0; i < address.length; i++) {
			address[i] = answer.get(at + 8 + i);
		}
		long uid = answer.getInt(at + 64) & 0xFFFFFFFFL;
		long inode = answer.getInt(at + 68) & 0xFFFFFFFFL;
		String text;
		try {
			text = ProcNetSockets.text(InetAddress.getByAddress(address), address);
		}
		catch (UnknownHostException ex) {
			throw new IOException(ex);
		}
		return new ProcNetSockets.Entry(protocol, text, port, stateName(protocol, state), uid, inode);
	}

	private static String stateName(Protocol protocol, int state) {
		if (protocol == Protocol.UDP) {
			return (state == 1) ? "ESTABLISHED" : "BOUND";
		}
		if (state == TCP_CLOSE || state == TCP_BOUND_INACTIVE) {
			// Listed from the bind table, a socket only bound: the kernel reports its
			// state,
			// TCP_CLOSE (6.18 does).
			return "BOUND";
		}
		return (state > 0 && state < TCP_STATES.length) ? TCP_STATES[state] : "STATE_" + state;
	}

	/**
	 * The libc calls of a netlink request.
	 */
	interface Libc extends Library {

		int socket(int domain, int type, int protocol) throws LastErrorException;

		int setsockopt(int fd, int level, int name, long[] value, int length) throws LastErrorException;

		int setsockopt(int fd, int level, int name, int[] value, int length) throws LastErrorException;

		NativeLong send(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

		NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

		int close(int fd) throws LastErrorException;

		static Libc get() {
			return Holder.LIBC;
		}

		/**
		 * Loads libc on first use.
		 */
		final class Holder {

			static final Libc LIBC = Native.load("c", Libc.class);

			private Holder() {
			}

		}

	}

}
