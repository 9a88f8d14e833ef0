package dev.portreservation.linux;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;

/**
 * Which sockets are on a port, as the kernel says: the tool that tells a <em>live</em>
 * socket (it has an inode: a process holds it open) from a leftover (a {@code TIME_WAIT}
 * or orphaned connection of a closed socket: inode 0), and this process's sockets (their
 * inodes are among {@code /proc/self/fd}) from everyone else's.
 * <p>
 * The list comes from {@link SockDiag} where it works. On Linux 6.5 and later that
 * includes TCP sockets that are only bound (a holder, a stranger's socket that has not
 * listened yet, a component that bound a lent port and has not listened yet). Where the
 * kernel is older (found out once per JVM by binding a socket and looking for it), where
 * {@code NETLINK_SOCK_DIAG} or JNA is not available, or where the JVM system property
 * {@value #PROPERTY} is {@code false}, the list comes from
 * {@code /proc/net/{tcp,tcp6,udp,udp6}}: complete for UDP, but without bound-only TCP
 * sockets ({@link Listing#complete()} says which).
 */
final class KernelSockets {

	/**
	 * The JVM system property that, set to {@code false}, makes the backend read the
	 * {@code /proc/net} tables instead of asking {@code NETLINK_SOCK_DIAG}: what a kernel
	 * older than 6.5 gives.
	 */
	static final String PROPERTY = "portreservation.linux.sock-diag";

	private static final int ALL_STATES = -1;

	private static volatile Boolean listsBoundOnly;

	private KernelSockets() {
	}

	/**
	 * The sockets on some ports.
	 *
	 * @param entries the sockets, live and leftovers
	 * @param complete whether the list includes every bound-only socket (false: a TCP
	 * list without {@code TCP_BOUND_INACTIVE}, see the class comment)
	 */
	record Listing(List<ProcNetSockets.Entry> entries, boolean complete) {

		/**
		 * @param own the inodes of this process's sockets
		 * @return the live sockets of other processes (any user, this user's other
		 * processes included)
		 */
		List<ProcNetSockets.Entry> foreign(Set<Long> own) {
			return this.entries.stream().filter((entry) -> entry.inode() != 0 && !own.contains(entry.inode())).toList();
		}

		/**
		 * @param own the inodes of this process's sockets
		 * @return this process's sockets
		 */
		List<ProcNetSockets.Entry> ours(Set<Long> own) {
			return this.entries.stream().filter((entry) -> own.contains(entry.inode())).toList();
		}

	}

	/**
	 * @param protocol the protocol
	 * @param ports the ports wanted
	 * @return the IPv4 and IPv6 sockets on any of the ports
	 */
	static Listing read(Protocol protocol, PortBlock ports) {
		if (useSockDiag()) {
			try {
				return new Listing(dump(protocol, ports), protocol == Protocol.UDP || listsBoundOnly());
			}
			catch (IOException | LinkageError | RuntimeException ex) {
				// No diagnostic module for the protocol, a seccomp filter, no JNA: the
				// tables.
			}
		}
		return new Listing(ProcNetSockets.read(protocol, ports), protocol == Protocol.UDP);
	}

	/**
	 * @return the inodes of this process's sockets
	 * @throws IOException when {@code /proc/self/fd} cannot be read
	 */
	static Set<Long> ownInodes() throws IOException {
		return ProcessSockets.ofThisProcess();
	}

	/**
	 * @return whether the kernel lists bound-only TCP sockets (and the property does not
	 * switch the kernel's list off)
	 */
	static boolean listsBoundOnly() {
		if (!useSockDiag()) {
			return false;
		}
		Boolean known = listsBoundOnly;
		if (known == null) {
			known = probeBoundOnly();
			listsBoundOnly = known;
		}
		return known;
	}

	private static boolean useSockDiag() {
		return !"false".equalsIgnoreCase(System.getProperty(PROPERTY));
	}

	private static List<ProcNetSockets.Entry> dump(Protocol protocol, PortBlock ports) throws IOException {
		int port = (ports.count() == 1) ? ports.startPort() : 0;
		List<ProcNetSockets.Entry> entries = new ArrayList<>();
		for (int family : new int[] { SockDiag.AF_INET, SockDiag.AF_INET6 }) {
			for (ProcNetSockets.Entry entry : SockDiag.dump(protocol, family, ALL_STATES, port)) {
				if (ports.contains(entry.port())) {
					entries.add(entry);
				}
			}
		}
		return entries;
	}

	/**
	 * Binds a TCP socket (never listening) to a port the kernel picks on the loopback
	 * address and asks for bound-only sockets on it: a kernel before 6.5 ignores the
	 * state bit and lists nothing.
	 */
	private static boolean probeBoundOnly() {
		try (SocketChannel probe = SocketChannel.open()) {
			probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			int port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
			for (int family : new int[] { SockDiag.AF_INET, SockDiag.AF_INET6 }) {
				for (ProcNetSockets.Entry entry : SockDiag.dump(Protocol.TCP, family, 1 << SockDiag.TCP_BOUND_INACTIVE,
						port)) {
					// Asked for bound-only sockets alone: anything listed is one.
					if (entry.inode() != 0) {
						return true;
					}
				}
			}
			return false;
		}
		catch (IOException | LinkageError | RuntimeException ex) {
			return false;
		}
	}

}
