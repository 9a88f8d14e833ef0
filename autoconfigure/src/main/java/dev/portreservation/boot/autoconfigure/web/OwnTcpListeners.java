package dev.portreservation.boot.autoconfigure.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TCP sockets this process listens on, read from Linux's {@code /proc}: the listening
 * entries of {@code /proc/self/net/tcp} and {@code tcp6} whose socket inode is one of
 * this process's descriptors. Empty where {@code /proc} cannot be read (other operating
 * systems).
 */
final class OwnTcpListeners {

	private static final Path FDS = Path.of("/proc/self/fd");

	private static final List<Path> TABLES = List.of(Path.of("/proc/self/net/tcp"), Path.of("/proc/self/net/tcp6"));

	private static final String LISTEN = "0A";

	private OwnTcpListeners() {
	}

	/**
	 * A listening socket.
	 *
	 * @param address the local address
	 * @param port the local port
	 */
	record Listener(InetAddress address, int port) {

		@Override
		public String toString() {
			String host = this.address.getHostAddress();
			return ((host.indexOf(':') >= 0) ? "[" + host + "]" : host) + ":" + this.port;
		}

	}

	/**
	 * @return this process's listening TCP sockets, empty when they cannot be read
	 */
	static List<Listener> read() {
		Set<String> inodes = socketInodes();
		List<Listener> listeners = new ArrayList<>();
		if (inodes.isEmpty()) {
			return listeners;
		}
		for (Path table : TABLES) {
			List<String> lines;
			try {
				lines = Files.readAllLines(table);
			}
			catch (IOException ex) {
				continue;
			}
			for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
				Listener listener = parse(line.trim().split("\\s+"), inodes);
				if (listener != null) {
					listeners.add(listener);
				}
			}
		}
		return listeners;
	}

	// sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout
	// inode
	private static Listener parse(String[] fields, Set<String> inodes) {
		if (fields.length < 10 || !LISTEN.equals(fields[3]) || !inodes.contains(fields[9])) {
			return null;
		}
		int colon = fields[1].indexOf(':');
		if (colon < 0) {
			return null;
		}
		try {
			return new Listener(address(fields[1].substring(0, colon)),
					Integer.parseInt(fields[1].substring(colon + 1), 16));
		}
		catch (NumberFormatException | UnknownHostException ex) {
			return null;
		}
	}

	// The kernel prints the address as 32-bit words in host (little-endian) order.
	private static InetAddress address(String hex) throws UnknownHostException {
		byte[] bytes = new byte[hex.length() / 2];
		for (int word = 0; word < bytes.length / 4; word++) {
			for (int i = 0; i < 4; i++) {
				int at = (word * 4 + (3 - i)) * 2;
				bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
			}
		}
		return InetAddress.getByAddress(bytes);
	}

	private static Set<String> socketInodes() {
		Set<String> inodes = new HashSet<>();
		try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
			for (Path fd : fds) {
				try {
					String target = Files.readSymbolicLink(fd).toString();
					if (target.startsWith("socket:[")) {
						inodes.add(target.substring("socket:[".length(), target.length() - 1));
					}
				}
				catch (IOException ex) {
					// Closed while listing.
				}
			}
		}
		catch (IOException | UnsupportedOperationException ex) {
			// No /proc: nothing to report.
		}
		return inodes;
	}

}
