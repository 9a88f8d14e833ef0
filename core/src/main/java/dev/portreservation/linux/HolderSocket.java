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
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import dev.portreservation.core.PortBlock;
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
			if (protocol != Protocol.TCP || LinuxErrors.privilegedPortRefused(ex, port)) {
				throw ex;
			}
		}
		// Refused: leftovers of closed sockets, or a live socket. Only leftovers may be
		// bound beside.
		requireNoLiveSocketOfAnotherProcess(port);
		T holder;
		try {
			holder = binder.bind(true);
		}
		catch (BindException ex) {
			Set<String> states = TcpSocketTable.states(port);
			String message = ex.getMessage() + "; sockets on the port: "
					+ (states.isEmpty() ? "none listed (a bound socket, e.g. another holder)" : states);
			// The kernel's errno goes on with the refusal; an unknown one stays unknown.
			OptionalInt errno = LinuxErrors.errno(ex);
			BindException refused = errno.isPresent() ? new LinuxErrors.ErrnoBindException(message, errno.getAsInt())
					: new BindException(message);
			throw (BindException) refused.initCause(ex);
		}
		try {
			// A socket that bound beside the holder while it had SO_REUSEADDR may
			// have left its uid in the port's bind bucket: take it back first.
			reclaimBucket(port);
			if (probe.reuseAddressCanJoin()) {
				throw inUse("the port's connections would let any socket with SO_REUSEADDR bind beside its "
						+ "holder; wait until they are gone");
			}
			// Whoever bound in that window (another user, another process racing for the
			// same leftovers) is still there: the port is not ours alone.
			requireNoLiveSocketOfAnotherProcess(port);
			return holder;
		}
		catch (IOException | RuntimeException ex) {
			holder.close();
			throw ex;
		}
	}

	/**
	 * Makes this process's uid the owner of the port's "fast reuseport" state, which the
	 * kernel keeps per port ({@code struct inet_bind_bucket}) and updates only when a
	 * socket binds: {@code inet_csk_update_fastreuse} records the uid and address of a
	 * socket that binds with {@code SO_REUSEPORT} beside sockets it does not match, and
	 * from then on {@code inet_csk_get_port} lets any socket of that uid with
	 * {@code SO_REUSEPORT} (on a matching address; the wildcard matches all) bind and
	 * listen without checking for conflicts. A stranger who bound with
	 * {@code SO_REUSEADDR} + {@code SO_REUSEPORT} while the holder had
	 * {@code SO_REUSEADDR} (a lent port, a hold over leftovers) left its uid there;
	 * clearing the holder's flag does not touch it (a socket option changes no bucket).
	 * So a socket of ours binds with {@code SO_REUSEPORT} on the wildcard address, which
	 * the kernel allows beside the holder (same uid, {@code SO_REUSEPORT}) and beside
	 * leftovers ({@code SO_REUSEADDR} when they refuse it otherwise), and closes again:
	 * its bind replaces the stranger's uid and address with this process's. Measured in
	 * {@code BucketPoisoningTests}.
	 * @param port a TCP port this process holds with a socket that has
	 * {@code SO_REUSEPORT} and no longer {@code SO_REUSEADDR}
	 * @throws BindException when no socket of ours can bind there (a socket of another
	 * user that listens, or a socket of ours without {@code SO_REUSEPORT}): the port is
	 * not this process's alone
	 */
	static void reclaimBucket(int port) throws IOException {
		for (boolean reuseAddress : new boolean[] { false, true }) {
			try (SocketChannel reclaim = SocketChannel.open()) {
				reclaim.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
				reclaim.setOption(StandardSocketOptions.SO_REUSEPORT, true);
				reclaim.bind(new InetSocketAddress(port));
				return;
			}
			catch (BindException ex) {
				if (reuseAddress) {
					throw inUse("a socket of this process cannot bind beside the holder of port " + port + " ("
							+ ex.getMessage() + ")");
				}
			}
		}
	}

	/**
	 * Whether a socket on the port refuses a socket of ours that has {@code SO_REUSEADDR}
	 * and {@code SO_REUSEPORT}: the holder admits it (our uid, {@code SO_REUSEPORT}),
	 * whether or not it still admits {@code SO_REUSEADDR}, and so do leftovers; a
	 * listening socket without {@code SO_REUSEPORT} does not. So: true while the
	 * component listens there, false once none does. A bind and a close, no listing:
	 * cheap enough to ask every few milliseconds. The probe's successful bind leaves our
	 * uid as the bucket's fast-reuseport owner, as {@link #reclaimBucket} does.
	 * @param port a lent TCP port
	 * @return whether such a bind is refused, or {@code null} when the probe itself
	 * failed (no file descriptor left)
	 */
	static Boolean refusesReuseAddress(int port) {
		try (SocketChannel probe = SocketChannel.open()) {
			probe.setOption(StandardSocketOptions.SO_REUSEADDR, true);
			probe.setOption(StandardSocketOptions.SO_REUSEPORT, true);
			probe.bind(new InetSocketAddress(port));
			return false;
		}
		catch (BindException ex) {
			return true;
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * Asks the kernel who is on the port ({@link KernelSockets}): a socket with an inode
	 * that is not among this process's descriptors is live and someone else's.
	 * @throws BindException naming them when there is one
	 */
	static void requireNoLiveSocketOfAnotherProcess(int port) throws IOException {
		KernelSockets.Listing listing = KernelSockets.read(Protocol.TCP, new PortBlock(port, 1));
		List<ProcNetSockets.Entry> foreign = listing.foreign(KernelSockets.ownInodes());
		if (!foreign.isEmpty()) {
			StringBuilder sockets = new StringBuilder();
			for (ProcNetSockets.Entry entry : foreign) {
				sockets.append((sockets.length() > 0) ? ", " : "")
					.append(entry.state())
					.append(' ')
					.append(entry.localAddress())
					.append(" uid ")
					.append(entry.uid());
			}
			throw inUse("a live socket of another process is on the port (" + sockets
					+ "), not only leftovers of closed ones");
		}
	}

	/**
	 * A refusal this class decides itself: the port is not free for the holder, as the
	 * kernel's {@code EADDRINUSE} says.
	 */
	private static BindException inUse(String why) {
		return new LinuxErrors.ErrnoBindException("Address already in use: " + why, LinuxErrors.EADDRINUSE);
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
