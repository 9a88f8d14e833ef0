package dev.portreservation.boot.autoconfigure.rsocket;

import dev.portreservation.boot.web.ServerPortBinding;
import dev.portreservation.boot.web.netty.ReservedNetty;
import dev.portreservation.core.PortReservation;
import reactor.netty.http.HttpResources;
import reactor.netty.resources.LoopResources;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.rsocket.netty.NettyRSocketServerFactory;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Binds the RSocket server ({@code spring.rsocket.server.port}) through the block. Boot's
 * factory builds a Reactor Netty {@code TcpServer} (or {@code HttpServer} for the
 * websocket transport) that runs on the loops of its resource factory, so the factory is
 * given loops whose server channel binds through the reservation, as for the reactive web
 * server. Port 0 takes any free port of the block; another port must lie inside it.
 */
public class RSocketServerPortReservationPostProcessor implements BeanPostProcessor {

	static final String PORT_PROPERTY = "spring.rsocket.server.port";

	static final String OWNER = "rsocket";

	private final ObjectProvider<PortReservation> reservation;

	private final Environment environment;

	private final ObjectProvider<ReactorResourceFactory> resourceFactory;

	public RSocketServerPortReservationPostProcessor(ObjectProvider<PortReservation> reservation,
			Environment environment, ObjectProvider<ReactorResourceFactory> resourceFactory) {
		this.reservation = reservation;
		this.environment = environment;
		this.resourceFactory = resourceFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof NettyRSocketServerFactory factory) {
			PortReservation reservation = this.reservation.getIfAvailable();
			if (reservation != null) {
				ServerPortBinding binding = new ServerPortBinding(reservation, OWNER, PORT_PROPERTY);
				binding.checkPort(this.environment.getProperty(PORT_PROPERTY, Integer.class, 0));
				factory.setResourceFactory(ReservedNetty.resourceFactory(this::applicationLoopResources, binding));
			}
		}
		return bean;
	}

	private LoopResources applicationLoopResources() {
		ReactorResourceFactory resources = this.resourceFactory.getIfAvailable();
		return (resources != null) ? resources.getLoopResources() : HttpResources.get();
	}

}
