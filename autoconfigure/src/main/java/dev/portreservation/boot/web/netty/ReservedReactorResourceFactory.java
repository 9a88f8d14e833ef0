package dev.portreservation.boot.web.netty;

import java.util.function.Supplier;

import dev.portreservation.boot.web.ServerPortBinding;
import reactor.netty.resources.LoopResources;

import org.springframework.http.client.ReactorResourceFactory;

/**
 * The resource factory handed to {@code NettyReactiveWebServerFactory}, which asks it
 * only for its {@link LoopResources}. It is not a bean and owns nothing: the loops stay
 * those of the application's resource factory, wrapped so the server channel binds
 * through the reservation.
 */
public class ReservedReactorResourceFactory extends ReactorResourceFactory {

	private final Supplier<LoopResources> loopResources;

	private final ServerPortBinding binding;

	public ReservedReactorResourceFactory(Supplier<LoopResources> loopResources, ServerPortBinding binding) {
		this.loopResources = loopResources;
		this.binding = binding;
	}

	@Override
	public LoopResources getLoopResources() {
		return new ReservedLoopResources(this.loopResources.get(), this.binding);
	}

}
