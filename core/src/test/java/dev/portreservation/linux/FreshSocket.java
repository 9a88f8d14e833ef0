package dev.portreservation.linux;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;

import dev.portreservation.core.Protocol;

/**
 * A socket of this process opened for one bind and closed again: how a test asks whether
 * a port is open to a socket that did not come through a reservation.
 */
final class FreshSocket {

	private FreshSocket() {
	}

	/**
	 * Binds a new socket of the protocol (TCP: a server socket) to the address, then
	 * closes it.
	 * @param protocol the protocol
	 * @param address where to bind
	 * @throws IOException the bind's failure ({@link java.net.BindException} for a port
	 * refused)
	 */
	static void bindAndClose(Protocol protocol, InetSocketAddress address) throws IOException {
		try (NetworkChannel channel = (protocol == Protocol.TCP) ? ServerSocketChannel.open()
				: DatagramChannel.open()) {
			channel.bind(address);
		}
	}

}
