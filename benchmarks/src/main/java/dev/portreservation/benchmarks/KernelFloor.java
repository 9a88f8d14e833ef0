package dev.portreservation.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

/**
 * The least a bind through a Linux runtime block can cost: the system calls the backend
 * makes for it ({@code SO_REUSEPORT}, then a bind to an explicit port beside the port's
 * holder socket) with none of the library's bookkeeping. The baseline that separates the
 * mechanism's cost from the library's.
 */
final class KernelFloor {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private KernelFloor() {
	}

	static int bindBesideHolder(ServerSocketChannel channel, int port) throws IOException {
		channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
		channel.bind(new InetSocketAddress(LOOPBACK, port));
		return port;
	}

}
