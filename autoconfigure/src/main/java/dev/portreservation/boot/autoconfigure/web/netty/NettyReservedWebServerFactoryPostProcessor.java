package dev.portreservation.boot.autoconfigure.web.netty;

import dev.portreservation.boot.web.netty.ReservedReactorResourceFactory;

import dev.portreservation.boot.autoconfigure.web.ReservedWebServerFactoryPostProcessor;
import dev.portreservation.boot.web.ServerPortBinding;
import dev.portreservation.core.PortReservation;
import reactor.netty.http.HttpResources;
import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Binds Reactor Netty through the reservation by giving its factory loop resources whose
 * server channel is bound through the block. A {@code NettyServerCustomizer} cannot do
 * it: Boot applies its own {@code runOn(...)} after the customizers.
 */
public class NettyReservedWebServerFactoryPostProcessor
		extends ReservedWebServerFactoryPostProcessor<NettyReactiveWebServerFactory> {

	private final ObjectProvider<ReactorResourceFactory> resourceFactory;

	public NettyReservedWebServerFactoryPostProcessor(ObjectProvider<PortReservation> reservation,
			Environment environment, ObjectProvider<ReactorResourceFactory> resourceFactory) {
		super(NettyReactiveWebServerFactory.class, reservation, environment);
		this.resourceFactory = resourceFactory;
	}

	@Override
	protected void bindThroughReservation(NettyReactiveWebServerFactory factory, ServerPortBinding binding) {
		factory.setResourceFactory(new ReservedReactorResourceFactory(this::applicationLoopResources, binding));
	}

	private LoopResources applicationLoopResources() {
		ReactorResourceFactory resources = this.resourceFactory.getIfAvailable();
		return (resources != null) ? resources.getLoopResources() : HttpResources.get();
	}

}
