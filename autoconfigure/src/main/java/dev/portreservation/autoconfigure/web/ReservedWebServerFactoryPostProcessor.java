package dev.portreservation.autoconfigure.web;

import dev.portreservation.core.PortReservation;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.core.env.Environment;

/**
 * Makes a web server factory bind through the reservation. Runs after initialization, so after every
 * {@code WebServerFactoryCustomizer}: the port, the protocol and the additional connectors it sees are the
 * final ones.
 * <p>
 * Port rule: for the application server, {@code server.port} unset or 0 takes any free port of the block
 * (Boot's default of 8080 is not used); a port inside the block takes that port; a port outside fails
 * startup. The management server's port comes from {@code management.server.port} with the same rule.
 *
 * @param <F> the factory type
 */
public abstract class ReservedWebServerFactoryPostProcessor<F extends AbstractConfigurableWebServerFactory>
		implements BeanPostProcessor {

	private final Class<F> factoryType;

	private final ObjectProvider<PortReservation> reservation;

	private final Environment environment;

	private final ServerRole role;

	protected ReservedWebServerFactoryPostProcessor(Class<F> factoryType, ObjectProvider<PortReservation> reservation,
			Environment environment, ServerRole role) {
		this.factoryType = factoryType;
		this.reservation = reservation;
		this.environment = environment;
		this.role = role;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (this.factoryType.isInstance(bean)) {
			PortReservation reservation = this.reservation.getIfAvailable();
			F factory = this.factoryType.cast(bean);
			if (reservation != null && applyPortRule(factory)) {
				ServerPortBinding binding = new ServerPortBinding(reservation, this.role.owner(),
						this.role.portProperty());
				binding.checkPort(factory.getPort());
				bindThroughReservation(factory, binding);
			}
		}
		return bean;
	}

	/**
	 * Applies the port rule.
	 * @param factory the factory
	 * @return whether the server will listen at all (a negative port disables it)
	 */
	private boolean applyPortRule(F factory) {
		if (this.role == ServerRole.SERVER && !this.environment.containsProperty(this.role.portProperty())) {
			factory.setPort(0);
		}
		return factory.getPort() >= 0;
	}

	/**
	 * Hooks the server's listening sockets to the reservation.
	 * @param factory the final factory
	 * @param binding the binding of the server's main socket
	 */
	protected abstract void bindThroughReservation(F factory, ServerPortBinding binding);

}
