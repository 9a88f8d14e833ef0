package dev.portreservation.core.internal;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;

import dev.portreservation.core.Protocol;

/**
 * Lending where no socket of the backend holds the block's ports and the backend cannot
 * tell whose a socket is: a port is free to lend when an exclusive bind of it on the
 * wildcard address succeeds (closed at once), and a lent port is bound when that bind is
 * refused.
 */
public class ProbingPortLender implements PortLender {

	private final Protocol protocol;

	/**
	 * @param protocol the block's protocol
	 */
	public ProbingPortLender(Protocol protocol) {
		this.protocol = protocol;
	}

	@Override
	public boolean lend(int port) throws IOException {
		// Bound by another process sharing the block, or by someone else: not ours to
		// lend.
		return !bound(port);
	}

	@Override
	public boolean verify(int port) throws IOException {
		return bound(port);
	}

	private boolean bound(int port) throws IOException {
		try (NetworkChannel probe = (this.protocol == Protocol.TCP) ? ServerSocketChannel.open()
				: DatagramChannel.open()) {
			probe.setOption(StandardSocketOptions.SO_REUSEADDR, false);
			probe.bind(new InetSocketAddress(port));
			return false;
		}
		catch (BindException ex) {
			return true;
		}
	}

}
