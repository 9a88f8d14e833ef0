package dev.portreservation.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads the kernel's TCP socket tables of this network namespace ({@code /proc/net/tcp} and
 * {@code /proc/net/tcp6}, see proc_net_tcp(5)) to tell a port kept busy only by {@code TIME_WAIT}
 * connections from a port some live socket has.
 */
final class TcpSocketTable {

	/** Connection state {@code TCP_TIME_WAIT} as the tables print it (hex). */
	private static final String TIME_WAIT = "06";

	private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

	private TcpSocketTable() {
	}

	/**
	 * @param port a local port
	 * @return whether the tables list at least one socket on the port and all of them are in
	 * {@code TIME_WAIT}; false when the tables cannot be read
	 */
	static boolean onlyTimeWait(int port) {
		String localPort = String.format(Locale.ROOT, ":%04X", port);
		boolean timeWait = false;
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
					if (!TIME_WAIT.equals(fields[3])) {
						return false;
					}
					timeWait = true;
				}
			}
		}
		catch (IOException ex) {
			return false;
		}
		return timeWait;
	}

}
