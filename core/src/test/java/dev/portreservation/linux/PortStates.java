package dev.portreservation.linux;

import java.util.Set;

/**
 * The TCP connection states a port shows, for tests outside this package (the server
 * restart tests).
 */
public final class PortStates {

	private PortStates() {
	}

	/**
	 * @param port a local port
	 * @return the states of the sockets on it, e.g. {@code [FIN-WAIT-2]}
	 */
	public static Set<String> of(int port) {
		return TcpSocketTable.states(port);
	}

}
