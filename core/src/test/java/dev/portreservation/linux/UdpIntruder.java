package dev.portreservation.linux;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.ptr.IntByReference;

/**
 * Tries to bind UDP ports the way another program might: on {@code 0.0.0.0},
 * {@code 127.0.0.1}, {@code ::} and {@code ::1} with a dual-stack socket, on
 * {@code 0.0.0.0} and {@code 127.0.0.1} with an IPv4 socket, each plain, with
 * {@code SO_REUSEADDR}, with {@code SO_REUSEPORT} and with both; and, through JNA when it
 * is on the class path, with native IPv6-only sockets ({@code IPV6_V6ONLY}, which the JDK
 * cannot set) on {@code ::} and {@code ::1} with the same four option sets. It runs as a
 * throwaway user from copies of its class files (and of the JNA jar).
 * <p>
 * As a process: {@code UdpIntruder <startPort> <count> <millis>} prints {@code READY},
 * tries every variant on every port until the time is up, then prints
 * {@code ATTEMPTS <n> SUCCESSES <m>} and, for up to five successes,
 * {@code GOT <address>:<port> <options>}.
 */
public final class UdpIntruder {

	private static final String[] DUAL_STACK = { "0.0.0.0", "127.0.0.1", "::", "::1" };

	private static final String[] IPV4 = { "0.0.0.0", "127.0.0.1" };

	private static final String[] IPV6_ONLY = { "::", "::1" };

	private final boolean withReusePort;

	private final V6Only v6Only = loadV6Only();

	private long attempts;

	private final List<String> successes = new ArrayList<>();

	/**
	 * @param withReusePort whether to try {@code SO_REUSEPORT} too (a socket of the
	 * reservation's own user that sets it is let in by design, so tests in the same
	 * process leave it out)
	 */
	public UdpIntruder(boolean withReusePort) {
		this.withReusePort = withReusePort;
	}

	public static void main(String[] args) throws Exception {
		int start = Integer.parseInt(args[0]);
		int count = Integer.parseInt(args[1]);
		long deadline = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000L;
		UdpIntruder intruder = new UdpIntruder(true);
		System.out.println("READY");
		System.out.flush();
		do {
			for (int port = start; port < start + count; port++) {
				intruder.tryPort(port);
			}
		}
		while (System.nanoTime() < deadline);
		System.out.println("ATTEMPTS " + intruder.attempts() + " SUCCESSES " + intruder.successes().size());
		intruder.successes().stream().limit(5).forEach((success) -> System.out.println("GOT " + success));
	}

	/**
	 * Tries every variant on one port; a socket that gets in is closed at once.
	 * @param port the port
	 */
	public void tryPort(int port) {
		for (String address : DUAL_STACK) {
			tryVariants(StandardProtocolFamily.INET6, address, port);
		}
		for (String address : IPV4) {
			tryVariants(StandardProtocolFamily.INET, address, port);
		}
		if (this.v6Only != null) {
			for (String address : IPV6_ONLY) {
				tryV6Only(address, port);
			}
		}
	}

	private static V6Only loadV6Only() {
		try {
			return V6Only.load();
		}
		catch (LinkageError ex) {
			// No JNA on the class path: the JDK's sockets only.
			return null;
		}
	}

	/**
	 * @return whether IPv6-only sockets are tried too (JNA on the class path)
	 */
	public boolean triesV6Only() {
		return this.v6Only != null;
	}

	private void tryV6Only(String address, int port) {
		int variants = this.withReusePort ? 4 : 2;
		for (int variant = 0; variant < variants; variant++) {
			boolean reuseAddress = (variant & 1) != 0;
			boolean reusePort = (variant & 2) != 0;
			this.attempts++;
			if (this.v6Only.bind(address, port, reuseAddress, reusePort)) {
				this.successes
					.add("v6only " + address + ":" + port + " reuseaddr=" + reuseAddress + " reuseport=" + reusePort);
			}
		}
	}

	private void tryVariants(ProtocolFamily family, String address, int port) {
		int variants = this.withReusePort ? 4 : 2;
		for (int variant = 0; variant < variants; variant++) {
			boolean reuseAddress = (variant & 1) != 0;
			boolean reusePort = (variant & 2) != 0;
			this.attempts++;
			try (DatagramChannel channel = DatagramChannel.open(family)) {
				channel.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
				channel.setOption(StandardSocketOptions.SO_REUSEPORT, reusePort);
				channel.bind(new InetSocketAddress(InetAddress.getByName(address), port));
				this.successes.add(
						family + " " + address + ":" + port + " reuseaddr=" + reuseAddress + " reuseport=" + reusePort);
			}
			catch (IOException | UnsupportedOperationException ex) {
				// Refused: what the reservation is for.
			}
		}
	}

	/** Native IPv6-only UDP sockets, bound and closed at once. */
	static final class V6Only {

		private static final int AF_INET6 = 10;

		private static final int SOCK_DGRAM = 2;

		private static final int SOL_SOCKET = 1;

		private static final int SO_REUSEADDR = 2;

		private static final int SO_REUSEPORT = 15;

		private static final int IPPROTO_IPV6 = 41;

		private static final int IPV6_V6ONLY = 26;

		private final LibC libc;

		private V6Only(LibC libc) {
			this.libc = libc;
		}

		static V6Only load() {
			try {
				return new V6Only(Native.load(Platform.C_LIBRARY_NAME, LibC.class));
			}
			catch (LinkageError ex) {
				return null;
			}
		}

		boolean bind(String address, int port, boolean reuseAddress, boolean reusePort) {
			int fd = this.libc.socket(AF_INET6, SOCK_DGRAM, 0);
			if (fd < 0) {
				return false;
			}
			try {
				if (!set(fd, IPPROTO_IPV6, IPV6_V6ONLY, true) || !set(fd, SOL_SOCKET, SO_REUSEADDR, reuseAddress)
						|| !set(fd, SOL_SOCKET, SO_REUSEPORT, reusePort)) {
					return false;
				}
				byte[] bytes = InetAddress.getByName(address).getAddress();
				Memory sockaddr = new Memory(28);
				sockaddr.clear();
				sockaddr.setShort(0, (short) AF_INET6);
				sockaddr.setByte(2, (byte) (port >> 8));
				sockaddr.setByte(3, (byte) port);
				sockaddr.write(8, bytes, 0, 16);
				return this.libc.bind(fd, sockaddr, 28) == 0;
			}
			catch (IOException ex) {
				return false;
			}
			finally {
				this.libc.close(fd);
			}
		}

		private boolean set(int fd, int level, int option, boolean on) {
			return this.libc.setsockopt(fd, level, option, new IntByReference(on ? 1 : 0), 4) == 0;
		}

		interface LibC extends Library {

			int socket(int domain, int type, int protocol);

			int setsockopt(int fd, int level, int name, IntByReference value, int length);

			int bind(int fd, Memory address, int length);

			int close(int fd);

		}

	}

	/**
	 * @return how many binds were tried
	 */
	public long attempts() {
		return this.attempts;
	}

	/**
	 * @return the binds that got in
	 */
	public List<String> successes() {
		return this.successes;
	}

}
