package dev.portreservation.boot.web.netty;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import dev.portreservation.boot.web.ServerPortBinding;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * Netty's NIO server channel, bound through the reservation: {@code doBind} is the one
 * place Netty binds the underlying {@code java.nio} channel, and the local address it
 * reports afterwards is read back from that channel.
 */
class ReservedNioServerSocketChannel extends NioServerSocketChannel {

	private final ServerPortBinding binding;

	ReservedNioServerSocketChannel(ServerPortBinding binding) {
		this.binding = binding;
	}

	@Override
	protected void doBind(SocketAddress localAddress) throws Exception {
		InetSocketAddress requested = (localAddress instanceof InetSocketAddress inet) ? inet
				: new InetSocketAddress(0);
		this.binding.bind(javaChannel(), requested, config().getBacklog());
	}

}
