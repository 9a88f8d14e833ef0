package dev.portreservation.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the kernel's TCP socket tables of this network namespace ({@code /proc/net/tcp}
 * and {@code /proc/net/tcp6}, see proc_net_tcp(5)) to say which connection states a port
 * shows. Used to explain a refused hold; the decision itself is the kernel's (see
 * {@link HolderSocket}). Sockets that are only bound (holders) never appear in these
 * tables.
 */
final class TcpSocketTable {

	/**
	 * State names indexed by the kernel's {@code TCP_*} numbers, as {@code ss} prints
	 * them.
	 */
	private static final String[] STATES = { "UNKNOWN", "ESTABLISHED", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1",
			"FIN-WAIT-2", "TIME-WAIT", "CLOSE", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING", "NEW-SYN-RECV" };

	private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

	private TcpSocketTable() {
	}

	/**
	 * @param port a local port
	 * @return the states of the sockets the tables list on the port, e.g.
	 * {@code [FIN-WAIT-2, LISTEN]}; empty when none is listed or the tables cannot be
	 * read
	 */
	static Set<String> states(int port) {
		String localPort = String.format(Locale.ROOT, ":%04X", port);
		Set<String> states = new TreeSet<>();
		try {
			for (Path table : TABLES) {
				if (!Files.isReadable(table)) {
					continue;
				}
				for (String line : ProcFile.read(table).split("\n")) {
					String[] fields = line.strip().split("\\s+");
					// sl local_address rem_address st ...
					if (fields.length < 4 || !fields[1].endsWith(localPort)) {
						continue;
					}
					states.add(stateName(fields[3]));
				}
			}
		}
		catch (IOException ex) {
			return Set.of();
		}
		return states;
	}

	private static String stateName(String hex) {
		try {
			int state = Integer.parseInt(hex, 16);
			return (state > 0 && state < STATES.length) ? STATES[state] : STATES[0];
		}
		catch (NumberFormatException ex) {
			return STATES[0];
		}
	}

}
