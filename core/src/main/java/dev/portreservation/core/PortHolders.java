package dev.portreservation.core;

import java.util.List;

/**
 * Finds who has ports, for failure messages ({@code CONFLICT}, {@code EXHAUSTED}) and for
 * the operator's {@code portreservation who}. What it can see depends on the OS; see
 * {@link PortHolder}.
 * <p>
 * A look-up never throws: it runs on failure paths, where an error of its own must not
 * hide the failure it explains. Whatever cannot be read is left out.
 */
@FunctionalInterface
public interface PortHolders {

	/**
	 * @param protocol the protocol
	 * @param ports the ports to look at
	 * @return the holders of any of the ports, each distinct holder once, lowest port
	 * first; empty when none is visible
	 */
	List<PortHolder> find(Protocol protocol, PortBlock ports);

	/**
	 * @param protocol the protocol
	 * @param port a port
	 * @return the holders of the port
	 */
	default List<PortHolder> find(Protocol protocol, int port) {
		return find(protocol, new PortBlock(port, 1));
	}

	/**
	 * @return a look-up that finds nothing, for platforms that cannot tell
	 */
	static PortHolders none() {
		return (protocol, ports) -> List.of();
	}

	/**
	 * @return the look-up for the operating system this JVM runs on: {@code /proc} and
	 * the holder registry on Linux, {@code GetExtendedTcpTable} /
	 * {@code GetExtendedUdpTable} on Windows, nothing elsewhere
	 */
	static PortHolders forCurrentPlatform() {
		return PlatformBackends.holders(BackendType.current());
	}

}
