package dev.portreservation.linux;

import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.LastErrorException;

import dev.portreservation.core.Protocol;

/**
 * The IPv6 side of a port in a JVM whose own sockets are IPv4 only
 * ({@code -Djava.net.preferIPv4Stack=true}): a native {@code AF_INET6} socket with
 * {@code IPV6_V6ONLY} bound to {@code [::]:port}, which collides with a bind of the port
 * on any IPv6 address ({@code ::}, {@code ::1}, v6only or not), while the Java holder on
 * {@code 0.0.0.0} covers IPv4. It never listens or connects, and does not set
 * {@code SO_REUSEPORT}: no Java channel of this JVM can be IPv6, so none has to bind
 * beside it.
 */
final class NativeIpv6Holder implements Closeable {

	private final int fd;

	private NativeIpv6Holder(int fd) {
		this.fd = fd;
	}

	/**
	 * @param protocol TCP or UDP
	 * @param port the port
	 * @param besideLeftovers bind with {@code SO_REUSEADDR} (cleared right after), see
	 * {@link HolderSocket}
	 * @return the bound holder, or {@code null} when the kernel has no IPv6 at all
	 * (nothing to hold)
	 * @throws BindException when another socket has the port ({@code EADDRINUSE}) or it
	 * is a privileged port ({@code EACCES}); its errno travels with it
	 * ({@link LinuxErrors#errno})
	 * @throws IOException when the socket cannot be made for another reason, with its
	 * errno
	 */
	static NativeIpv6Holder bind(Protocol protocol, int port, boolean besideLeftovers) throws IOException {
		LinuxLibc libc = LinuxLibc.get();
		int fd;
		try {
			fd = libc.socket(LinuxLibc.AF_INET6,
					((protocol == Protocol.TCP) ? LinuxLibc.SOCK_STREAM : LinuxLibc.SOCK_DGRAM)
							| LinuxLibc.SOCK_CLOEXEC,
					0);
		}
		catch (LastErrorException ex) {
			if (ex.getErrorCode() == LinuxErrors.EAFNOSUPPORT) {
				return null;
			}
			throw failure("socket(AF_INET6)", port, ex);
		}
		NativeIpv6Holder holder = new NativeIpv6Holder(fd);
		try {
			holder.option(LinuxLibc.IPPROTO_IPV6, LinuxLibc.IPV6_V6ONLY, 1);
			if (besideLeftovers) {
				holder.option(LinuxLibc.SOL_SOCKET, LinuxLibc.SO_REUSEADDR, 1);
			}
			try {
				libc.bind(fd, wildcard(port), LinuxLibc.SOCKADDR_IN6_SIZE);
			}
			catch (LastErrorException ex) {
				throw failure("bind([::]:" + port + ")", port, ex);
			}
			if (besideLeftovers) {
				holder.option(LinuxLibc.SOL_SOCKET, LinuxLibc.SO_REUSEADDR, 0);
			}
			return holder;
		}
		catch (IOException | RuntimeException ex) {
			holder.close();
			throw ex;
		}
	}

	/**
	 * @param port a held port
	 * @return whether a socket with {@code SO_REUSEADDR} and nothing else could bind
	 * {@code [::]:port} now
	 */
	static boolean reuseAddressCanJoin(int port) throws IOException {
		try (NativeIpv6Holder probe = bind(Protocol.TCP, port, true)) {
			return probe != null;
		}
		catch (BindException ex) {
			return false;
		}
	}

	private void option(int level, int name, int value) throws IOException {
		try {
			LinuxLibc.get().setsockopt(this.fd, level, name, new int[] { value }, Integer.BYTES);
		}
		catch (LastErrorException ex) {
			throw LinuxErrors.ofCall("setsockopt(" + level + ", " + name + ")", ex.getErrorCode(), ex);
		}
	}

	@Override
	public void close() {
		try {
			LinuxLibc.get().close(this.fd);
		}
		catch (LastErrorException ex) {
			// A socket that never listened or connected has nothing to flush; nothing to
			// act on.
		}
	}

	/**
	 * {@code struct sockaddr_in6} for {@code [::]:port}: family in host order, port in
	 * network order.
	 */
	private static byte[] wildcard(int port) {
		ByteBuffer address = ByteBuffer.allocate(LinuxLibc.SOCKADDR_IN6_SIZE).order(ByteOrder.nativeOrder());
		address.putShort((short) LinuxLibc.AF_INET6);
		address.order(ByteOrder.BIG_ENDIAN).putShort((short) port);
		return address.array();
	}

	private static IOException failure(String call, int port, LastErrorException ex) {
		return LinuxErrors.ofCall(call + " for the IPv6 holder of port " + port, ex.getErrorCode(), ex);
	}

}
