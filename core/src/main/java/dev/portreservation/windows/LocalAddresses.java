package dev.portreservation.windows;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/**
 * Whether an address belongs to this machine: the fact that tells a bind to a foreign
 * address (the JDK reports it as a {@link java.net.BindException} like a port in use)
 * from a full block.
 */
final class LocalAddresses {

	private LocalAddresses() {
	}

	/**
	 * @param address an address to bind to
	 * @return whether it is the wildcard, a loopback address or an address of one of this
	 * machine's interfaces; {@code true} when the interfaces cannot be read, so that
	 * nothing is blamed on the address without proof
	 */
	static boolean isLocal(InetAddress address) {
		if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
			return true;
		}
		try {
			return NetworkInterface.getByInetAddress(address) != null;
		}
		catch (SocketException ex) {
			return true;
		}
	}

}
