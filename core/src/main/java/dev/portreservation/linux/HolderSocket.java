package dev.portreservation.linux;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;

import dev.portreservation.core.Protocol;

/**
 * Opens the socket that holds one port of a runtime block: a socket of the block's protocol bound to the
 * port on the wildcard address (so it conflicts with a bind on any local address) and never listening or
 * connected, so it receives nothing.
 * <p>
 * The bind itself is exclusive (no {@code SO_REUSEADDR}, no {@code SO_REUSEPORT}), so it fails when any
 * socket has the port, including a holder of another block or of another process using this library.
 * {@code SO_REUSEPORT} is switched on only after the bind: the kernel checks the flag of existing sockets at
 * the next bind, so from then on a socket of the same user that also sets {@code SO_REUSEPORT} (the channel
 * the reservation hands the port to) can bind next to the holder, and every other socket is refused.
 * <p>
 * A TCP port whose last connections are still in {@code TIME_WAIT} (a server of this block closed them a
 * moment ago, perhaps in a previous run of the application) refuses the exclusive bind. When the kernel's
 * socket table shows only {@code TIME_WAIT} entries on the port, the holder is bound with
 * {@code SO_REUSEPORT} set first, which the kernel allows over {@code TIME_WAIT} sockets that had it.
 */
final class HolderSocket {

	private HolderSocket() {
	}

	/**
	 * @param protocol the block's protocol
	 * @param port the port to hold
	 * @return the bound holder
	 * @throws BindException when another socket has the port
	 * @throws IOException when the socket cannot be opened or configured
	 */
	static NetworkChannel open(Protocol protocol, int port) throws IOException {
		try {
			return bind(protocol, port, false);
		}
		catch (BindException ex) {
			if (protocol == Protocol.TCP && TcpSocketTable.onlyTimeWait(port)) {
				return bind(protocol, port, true);
			}
			throw ex;
		}
	}

	private static NetworkChannel bind(Protocol protocol, int port, boolean shareBeforeBind) throws IOException {
		NetworkChannel channel = (protocol == Protocol.TCP) ? SocketChannel.open() : DatagramChannel.open();
		try {
			if (shareBeforeBind) {
				channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
			}
			channel.bind(new InetSocketAddress(port));
			channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
			return channel;
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

}
