package dev.portreservation.linux;

import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;

import dev.portreservation.core.Protocol;

/**
 * Opens the sockets that hold one port of a runtime block: a socket of the block's
 * protocol bound to the port on the wildcard address (so it conflicts with a bind of that
 * port on any local address) and never listening or connected, so it receives nothing. In
 * a dual-stack JVM that one Java socket ({@code [::]}, not v6only) covers IPv4 and IPv6;
 * in a JVM whose sockets are IPv4 only ({@code -Djava.net.preferIPv4Stack=true}) a native
 * IPv6 socket ({@link NativeIpv6Holder}) holds the IPv6 side.
 * <p>
 * The bind is first tried exclusive (no {@code SO_REUSEADDR}, no {@code SO_REUSEPORT}).
 * For TCP, when that fails, the port may only carry <em>leftovers</em>: connections of a
 * previous server in {@code TIME-WAIT}, {@code FIN-WAIT-2}, {@code CLOSE-WAIT} or
 * {@code LAST-ACK}, which inherited {@code SO_REUSEADDR} from their listening socket
 * (Java, Tomcat, Netty and Jetty servers all set it). Linux lets a socket with
 * {@code SO_REUSEADDR} bind beside non-listening sockets that had it too, of any user;
 * that is how a plain server restarts at once. So the holder tries again with
 * {@code SO_REUSEADDR}, which the kernel still refuses beside a listening socket or
 * another holder (holders never keep the flag), and clears the flag right after the bind:
 * the kernel looks at the flags of bound sockets at the next bind, so from then on no
 * socket can use the flag to bind beside the holder. A probe then checks that (a kernel
 * may keep a per-port "reuse fast path" decided when the port's first socket bound); if a
 * socket with {@code SO_REUSEADDR} could still join, the hold is refused rather than
 * claimed.
 * <p>
 * {@code SO_REUSEPORT} is switched on only after the bind, on the Java holder: from then
 * on a socket of the same user that also sets {@code SO_REUSEPORT} (the channel the
 * reservation hands the port to) can bind next to the holder, and every other socket is
 * refused. Another process of this library never binds beside a live holder: it cannot
 * claim the block's lock ({@link BlockLocks}).
 */
final class HolderSocket {

	private HolderSocket() {
	}

	/**
	 * @param protocol the block's protocol
	 * @param port the port to hold
	 * @return the bound Java holder
	 * @throws BindException when another live socket has the port
	 * @throws IOException when the socket cannot be opened or configured
	 */
	static NetworkChannel open(Protocol protocol, int port) throws IOException {
		return hold(protocol, port, (besideLeftovers) -> bind(protocol, port, besideLeftovers),
				() -> reuseAddressCanJoin(port));
	}

	/**
	 * @param javaHolder the port's Java holder
	 * @return whether the Java holder is IPv4 only, so the IPv6 side needs
	 * {@link #openIpv6}
	 */
	static boolean ipv4Only(NetworkChannel javaHolder) throws IOException {
		return ((InetSocketAddress) javaHolder.getLocalAddress()).getAddress() instanceof Inet4Address;
	}

	/**
	 * @param protocol the block's protocol
	 * @param port the port to hold on IPv6
	 * @return the native IPv6 holder, or {@code null} when the kernel has no IPv6
	 * @throws BindException when another live socket has the port on IPv6
	 * @throws IOException when the socket cannot be made
	 */
	static Closeable openIpv6(Protocol protocol, int port) throws IOException {
		return hold(protocol, port, (besideLeftovers) -> NativeIpv6Holder.bind(protocol, port, besideLeftovers),
				() -> NativeIpv6Holder.reuseAddressCanJoin(port));
	}

	/**
	 * The decision itself, given how to bind and how to probe (the kernel's answers).
	 */
	static <T extends Closeable> T hold(Protocol protocol, int port, Binder<T> binder, Probe probe) throws IOException {
		try {
			return binder.bind(false);
		}
		catch (BindException ex) {
			if (protocol != Protocol.TCP || isPermissionDenied(ex)) {
				throw ex;
			}
		}
		T holder;
		try {
			holder = binder.bind(true);
		}
		catch (BindException ex) {
			Set<String> states = TcpSocketTable.states(port);
			throw (BindException) new BindException(ex.getMessage() + "; sockets on the port: "
					+ (states.isEmpty() ? "none listed (a bound socket, e.g. another holder)" : states))
				.initCause(ex);
		}
		try {
			if (probe.reuseAddressCanJoin()) {
				throw new BindException("Address already in use: the port's connections would let any socket "
						+ "with SO_REUSEADDR bind beside its holder; wait until they are gone");
			}
			return holder;
		}
		catch (IOException | RuntimeException ex) {
			holder.close();
			throw ex;
		}
	}

	private static boolean isPermissionDenied(BindException ex) {
		return String.valueOf(ex.getMessage()).contains("Permission denied");
	}

	private static NetworkChannel bind(Protocol protocol, int port, boolean besideLeftovers) throws IOException {
		NetworkChannel channel = (protocol == Protocol.TCP) ? SocketChannel.open() : DatagramChannel.open();
		try {
			if (besideLeftovers) {
				channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
			}
			channel.bind(new InetSocketAddress(port));
			if (besideLeftovers) {
				channel.setOption(StandardSocketOptions.SO_REUSEADDR, false);
			}
			channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
			return channel;
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	/**
	 * A socket with {@code SO_REUSEADDR} alone, of this user, tries the port: it must be
	 * refused.
	 */
	private static boolean reuseAddressCanJoin(int port) throws IOException {
		try (SocketChannel probe = SocketChannel.open()) {
			probe.setOption(StandardSocketOptions.SO_REUSEADDR, true);
			probe.bind(new InetSocketAddress(port));
			return true;
		}
		catch (BindException ex) {
			return false;
		}
	}

	@FunctionalInterface
	interface Binder<T extends Closeable> {

		T bind(boolean besideLeftovers) throws IOException;

	}

	@FunctionalInterface
	interface Probe {

		boolean reuseAddressCanJoin() throws IOException;

	}

}
