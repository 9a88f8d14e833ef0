package dev.portreservation.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.portreservation.core.BackendType;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.Protocol;

/**
 * Tells why an explicit bind of a port failed with a {@link BindException}. The JDK
 * throws that one type for three errors ({@code EADDRINUSE}, {@code EADDRNOTAVAIL},
 * {@code EACCES}) and keeps the errno only in a localisable message, so the diagnosis
 * comes from facts instead: whether the address can be bound at all (a probe bind of port
 * 0 on it, and whether an interface of this host has it), and whether the port is a
 * privileged one this process may not bind. Only what is left is "the port is in use".
 * <p>
 * Runs only after a bind failed, so the happy path pays nothing.
 */
final class BindDiagnosis {

	/**
	 * Linux errno values, reported as native codes only on Linux, where they are the
	 * platform's numbers.
	 */
	static final long EACCES = 13;

	static final long EADDRINUSE = 98;

	static final long EADDRNOTAVAIL = 99;

	private static final Path UNPRIVILEGED_PORT_START = Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start");

	private static final Path PROCESS_STATUS = Path.of("/proc/self/status");

	/** {@code CAP_NET_BIND_SERVICE}, capability number 10. */
	private static final long CAP_NET_BIND_SERVICE = 1L << 10;

	private static final int DEFAULT_UNPRIVILEGED_PORT_START = 1024;

	private static final boolean LINUX = BackendType.current() == BackendType.LINUX;

	private final Protocol protocol;

	private final InetAddress address;

	private AddressState addressState;

	private Integer unprivilegedPortStart;

	/**
	 * @param protocol the protocol of the failed bind
	 * @param address the local address asked for, {@code null} or a wildcard address for
	 * all
	 */
	BindDiagnosis(Protocol protocol, InetAddress address) {
		this.protocol = protocol;
		this.address = address;
	}

	/**
	 * @return the failure when the address itself cannot be bound (whatever the port),
	 * otherwise {@code null}; probed once
	 */
	AddressState address() {
		if (this.addressState == null) {
			this.addressState = probeAddress();
		}
		return this.addressState;
	}

	/**
	 * @param port a port whose bind failed on an address that can be bound
	 * @return {@link Problem#PRIVILEGED_PORT} when this process may not bind it, else
	 * {@link Problem#PORT_IN_USE}
	 */
	Problem port(int port) {
		if (this.unprivilegedPortStart == null) {
			this.unprivilegedPortStart = readUnprivilegedPortStart();
		}
		return (port < this.unprivilegedPortStart && !mayBindPrivilegedPorts()) ? Problem.PRIVILEGED_PORT
				: Problem.PORT_IN_USE;
	}

	/**
	 * @return the errno of a problem, on Linux; {@code null} elsewhere
	 */
	static Long linuxErrno(Problem problem) {
		if (!LINUX) {
			return null;
		}
		return switch (problem) {
			case ADDRESS_NOT_LOCAL -> EADDRNOTAVAIL;
			case PRIVILEGED_PORT -> EACCES;
			case PORT_IN_USE -> EADDRINUSE;
			default -> null;
		};
	}

	/**
	 * @return the errno's symbolic name for messages
	 */
	static String errnoName(Problem problem) {
		return switch (problem) {
			case ADDRESS_NOT_LOCAL -> "EADDRNOTAVAIL";
			case PRIVILEGED_PORT -> "EACCES";
			case PORT_IN_USE -> "EADDRINUSE";
			default -> problem.name();
		};
	}

	private AddressState probeAddress() {
		if (this.address == null || this.address.isAnyLocalAddress()) {
			return AddressState.BINDABLE;
		}
		try (NetworkChannel probe = (this.protocol == Protocol.UDP) ? DatagramChannel.open()
				: ServerSocketChannel.open()) {
			probe.bind(new InetSocketAddress(this.address, 0));
			return AddressState.BINDABLE;
		}
		catch (IOException | RuntimeException ex) {
			return isOnAnInterface(this.address) ? new AddressState(null, ex) : AddressState.NOT_LOCAL;
		}
	}

	private static boolean isOnAnInterface(InetAddress address) {
		if (address.isLoopbackAddress()) {
			return true;
		}
		try {
			return NetworkInterface.getByInetAddress(address) != null;
		}
		catch (SocketException ex) {
			return false;
		}
	}

	private static int readUnprivilegedPortStart() {
		if (!LINUX) {
			return DEFAULT_UNPRIVILEGED_PORT_START;
		}
		try {
			return Integer.parseInt(readProc(UNPRIVILEGED_PORT_START).strip());
		}
		catch (IOException | NumberFormatException ex) {
			return DEFAULT_UNPRIVILEGED_PORT_START;
		}
	}

	private static boolean mayBindPrivilegedPorts() {
		if (LINUX) {
			try {
				for (String line : readProc(PROCESS_STATUS).split("\n")) {
					if (line.startsWith("CapEff:")) {
						long effective = Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
						return (effective & CAP_NET_BIND_SERVICE) != 0;
					}
				}
			}
			catch (IOException | NumberFormatException ex) {
				// Fall back to the user name below.
			}
		}
		return "root".equals(System.getProperty("user.name", "").toLowerCase(Locale.ROOT));
	}

	// /proc reports a size of 0, so read to the end instead of trusting it.
	private static String readProc(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
	}

	/**
	 * Whether the address can be bound at all.
	 *
	 * @param problem {@link Problem#ADDRESS_NOT_LOCAL} when no interface of this host has
	 * the address, {@code null} when it can be bound or fails for another reason
	 * @param failure the probe's failure when the address is on an interface but still
	 * cannot be bound
	 */
	record AddressState(Problem problem, Exception failure) {

		static final AddressState BINDABLE = new AddressState(null, null);

		static final AddressState NOT_LOCAL = new AddressState(Problem.ADDRESS_NOT_LOCAL, null);

		boolean bindable() {
			return this.problem == null && this.failure == null;
		}

	}

}
