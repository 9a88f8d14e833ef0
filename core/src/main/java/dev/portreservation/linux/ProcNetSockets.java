package dev.portreservation.linux;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;

/**
 * The sockets of this network namespace as the kernel lists them in
 * {@code /proc/net/{tcp,tcp6,udp,udp6}} (proc_net_tcp(5)): local address and port, state,
 * owner uid and inode. The inode leads to the owning process through {@code /proc/PID/fd}
 * ({@link ProcessSockets}).
 * <p>
 * A TCP socket that is bound but neither listening nor connected (a runtime block's
 * holder) is not in these tables at all; the holder registry ({@link HolderRecords})
 * names those.
 */
final class ProcNetSockets {

	private static final Path PROC_NET = Path.of("/proc/net");

	private static final String[] TCP_STATES = { "UNKNOWN", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
			"FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV" };

	private ProcNetSockets() {
	}

	/**
	 * A socket line of the tables.
	 *
	 * @param protocol the protocol
	 * @param localAddress the local address, textual
	 * @param port the local port
	 * @param state the state's name; an unconnected UDP socket is {@code BOUND}
	 * @param uid the owner's uid
	 * @param inode the socket's inode, 0 for a {@code TIME_WAIT} entry (no socket, no
	 * process)
	 */
	record Entry(Protocol protocol, String localAddress, int port, String state, long uid, long inode) {
	}

	/**
	 * @param protocol the protocol
	 * @param ports the ports wanted
	 * @return the IPv4 and IPv6 sockets on any of the ports; tables that cannot be read
	 * are skipped
	 */
	static List<Entry> read(Protocol protocol, PortBlock ports) {
		String name = protocol.name().toLowerCase(Locale.ROOT);
		List<Entry> entries = new ArrayList<>();
		for (String table : new String[] { name, name + "6" }) {
			try {
				entries.addAll(parse(protocol, ProcFile.read(PROC_NET.resolve(table)), ports));
			}
			catch (IOException ex) {
				// No IPv6 in this kernel, or /proc/net hidden: name what the other table
				// shows.
			}
		}
		return entries;
	}

	/**
	 * @param protocol the protocol of the table
	 * @param table the table's text
	 * @param ports the ports wanted
	 * @return the lines on any of the ports; lines that do not parse are skipped
	 */
	static List<Entry> parse(Protocol protocol, String table, PortBlock ports) {
		List<Entry> entries = new ArrayList<>();
		for (String line : table.split("\n")) {
			// sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid
			// timeout inode ...
			String[] fields = line.strip().split("\\s+");
			if (fields.length < 10 || !fields[0].endsWith(":")) {
				continue;
			}
			try {
				int colon = fields[1].indexOf(':');
				int port = Integer.parseInt(fields[1].substring(colon + 1), 16);
				if (!ports.contains(port)) {
					continue;
				}
				String address = address(fields[1].substring(0, colon));
				int state = Integer.parseInt(fields[3], 16);
				entries.add(new Entry(protocol, address, port, stateName(protocol, state), Long.parseLong(fields[7]),
						Long.parseLong(fields[9])));
			}
			catch (RuntimeException | UnknownHostException ex) {
				// A line of a format this reader does not know: leave it out rather than
				// guess.
			}
		}
		return entries;
	}

	private static String stateName(Protocol protocol, int state) {
		if (protocol == Protocol.UDP) {
			// UDP uses TCP_ESTABLISHED for a connected socket and TCP_CLOSE for a merely
			// bound one.
			return (state == 1) ? "ESTABLISHED" : "BOUND";
		}
		return (state > 0 && state < TCP_STATES.length) ? TCP_STATES[state] : "STATE_" + state;
	}

	/**
	 * The kernel prints each 32-bit word of the address as a hexadecimal number in the
	 * machine's byte order.
	 */
	private static String address(String hex) throws UnknownHostException {
		if (hex.length() != 8 && hex.length() != 32) {
			throw new IllegalArgumentException("address of " + hex.length() + " digits");
		}
		byte[] bytes = new byte[hex.length() / 2];
		boolean littleEndian = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
		for (int word = 0; word < bytes.length / 4; word++) {
			long value = Long.parseLong(hex.substring(word * 8, word * 8 + 8), 16);
			for (int i = 0; i < 4; i++) {
				int shift = littleEndian ? 8 * i : 8 * (3 - i);
				bytes[word * 4 + i] = (byte) (value >>> shift);
			}
		}
		return text(InetAddress.getByAddress(bytes), bytes);
	}

	/**
	 * @param address an address
	 * @param bytes its bytes, as the kernel gave them
	 * @return its text as ss and netstat print it; an IPv4-mapped IPv6 address comes back
	 * as IPv4, which is how people know it
	 */
	static String text(InetAddress address, byte[] bytes) {
		return (address instanceof Inet6Address) ? compressed(bytes) : address.getHostAddress();
	}

	/**
	 * The short IPv6 form ({@code ::1} rather than {@code 0:0:0:0:0:0:0:1}), as ss and
	 * netstat print it.
	 */
	private static String compressed(byte[] bytes) {
		int[] groups = new int[8];
		for (int i = 0; i < 8; i++) {
			groups[i] = ((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF);
		}
		int bestStart = -1;
		int bestLength = 1;
		for (int i = 0; i < 8; i++) {
			int length = 0;
			while (i + length < 8 && groups[i + length] == 0) {
				length++;
			}
			if (length > bestLength) {
				bestStart = i;
				bestLength = length;
			}
		}
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 8; i++) {
			if (i == bestStart) {
				text.append("::");
				i += bestLength - 1;
				continue;
			}
			if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
				text.append(':');
			}
			text.append(Integer.toHexString(groups[i]));
		}
		return text.toString();
	}

}
