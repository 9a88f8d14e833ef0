package dev.portreservation.boot.web.netty;

import java.util.function.Supplier;

import dev.portreservation.boot.web.ServerPortBinding;
import dev.portreservation.core.PortReservation;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ServerChannel;
import reactor.netty.resources.LoopResources;

import org.springframework.http.client.ReactorResourceFactory;

/**
 * Binds servers your own code builds on Netty through the block, the way the starter
 * binds the embedded servers:
 * <ul>
 * <li>Reactor Netty {@code TcpServer} / {@code HttpServer}:
 * {@code server.runOn(ReservedNetty.loopResources(loops, reservation, "my-server"))},
 * with port 0 (any free port of the block) or a port of the block;</li>
 * <li>a Netty {@code ServerBootstrap}:
 * {@code bootstrap.channelFactory(ReservedNetty.serverChannelFactory(reservation, "my-server"))},
 * on NIO event loops.</li>
 * </ul>
 * The listening channel is a NIO channel: native epoll/io_uring channels bind in native
 * code, which cannot go through the reservation.
 */
public final class ReservedNetty {

	private ReservedNetty() {
	}

	/**
	 * @param delegate the loops the server runs on (for example
	 * {@code HttpResources.get()})
	 * @param reservation the block
	 * @param owner the owner label of the server's lease
	 * @return loop resources whose server channel binds through the block; disposing them
	 * leaves the delegate alone
	 */
	public static LoopResources loopResources(LoopResources delegate, PortReservation reservation, String owner) {
		return new ReservedLoopResources(delegate, binding(reservation, owner));
	}

	/**
	 * @param reservation the block
	 * @param owner the owner label of the server's lease
	 * @return a factory of NIO server channels bound through the block, for
	 * {@code ServerBootstrap}
	 */
	public static ChannelFactory<ServerChannel> serverChannelFactory(PortReservation reservation, String owner) {
		return serverChannelFactory(binding(reservation, owner));
	}

	/**
	 * @param binding how the server's socket binds through the block, naming where its
	 * port is configured
	 * @return a factory of NIO server channels bound through the block, for
	 * {@code ServerBootstrap}
	 */
	public static ChannelFactory<ServerChannel> serverChannelFactory(ServerPortBinding binding) {
		return () -> new ReservedNioServerSocketChannel(binding);
	}

	/**
	 * @param loopResources the application's loops, asked for when a server starts
	 * @param binding how the server's socket binds through the block
	 * @return a resource factory for a Boot server factory that takes one (such as the
	 * RSocket server's)
	 */
	public static ReactorResourceFactory resourceFactory(Supplier<LoopResources> loopResources,
			ServerPortBinding binding) {
		return new ReservedReactorResourceFactory(loopResources, binding);
	}

	private static ServerPortBinding binding(PortReservation reservation, String owner) {
		return new ServerPortBinding(reservation, owner, "the port given to '" + owner + "'");
	}

}
