package dev.portreservation.boot.web.netty;

import java.time.Duration;

import dev.portreservation.boot.web.ServerPortBinding;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * The server's {@link LoopResources}, with the listening channel replaced by one bound
 * through the reservation. {@link #onChannel} is Reactor Netty's only hook that runs
 * before the server channel is bound.
 * <p>
 * The server's event loops are NIO even where native epoll is available: the native
 * channel class is final and binds in native code, so it cannot be bound through the
 * reservation. Connections then run on NIO, which costs little next to an HTTP request.
 * Client loops are left as they are.
 */
class ReservedLoopResources implements LoopResources {

	private final LoopResources delegate;

	private final ServerPortBinding binding;

	ReservedLoopResources(LoopResources delegate, ServerPortBinding binding) {
		this.delegate = delegate;
		this.binding = binding;
	}

	@Override
	public EventLoopGroup onServer(boolean useNative) {
		return this.delegate.onServer(false);
	}

	@Override
	public EventLoopGroup onServerSelect(boolean useNative) {
		return this.delegate.onServerSelect(false);
	}

	@Override
	public EventLoopGroup onClient(boolean useNative) {
		return this.delegate.onClient(useNative);
	}

	@Override
	public <C extends Channel> C onChannel(Class<C> channelType, EventLoopGroup group) {
		if (channelType == ServerSocketChannel.class) {
			return channelType.cast(new ReservedNioServerSocketChannel(this.binding));
		}
		return this.delegate.onChannel(channelType, group);
	}

	@Override
	public <C extends Channel> Class<? extends C> onChannelClass(Class<C> channelType, EventLoopGroup group) {
		if (channelType == ServerSocketChannel.class) {
			// A channel class is instantiated reflectively, without the reservation:
			// refuse rather than
			// let the server bind outside the block.
			throw new UnsupportedOperationException(
					"The server channel of a reserved block is created by onChannel(), not by class");
		}
		return this.delegate.onChannelClass(channelType, group);
	}

	@Override
	public boolean daemon() {
		return this.delegate.daemon();
	}

	// The delegate belongs to the application's ReactorResourceFactory (or Reactor
	// Netty's global
	// resources), which disposes of it; the server must not.
	@Override
	public void dispose() {
	}

	@Override
	public Mono<Void> disposeLater() {
		return Mono.empty();
	}

	@Override
	public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
		return Mono.empty();
	}

	@Override
	public boolean isDisposed() {
		return this.delegate.isDisposed();
	}

}
