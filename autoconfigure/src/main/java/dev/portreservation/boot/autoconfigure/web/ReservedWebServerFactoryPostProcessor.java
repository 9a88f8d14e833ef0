package dev.portreservation.boot.autoconfigure.web;

import dev.portreservation.boot.web.ServerRole;

import dev.portreservation.boot.web.ServerPortBinding;

import java.util.Set;
import java.util.TreeSet;

import dev.portreservation.boot.reservation.RequestedBlock;
import dev.portreservation.core.PortReservation;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.core.env.Environment;

/**
 * Makes a web server factory bind through the reservation. Runs after initialization, so
 * after every {@code WebServerFactoryCustomizer}: the port, the protocol and the
 * additional connectors it sees are the final ones.
 * <p>
 * Port rule: for the application server, {@code server.port} unset or 0 takes any free
 * port of the block (Boot's default of 8080 is not used); a port inside the block takes
 * that port; a port outside fails startup. The management server's port comes from
 * {@code management.server.port} with the same rule. Which server a hook serves is the
 * one of its context: Boot starts a management server on its own port in a child context
 * of server namespace {@code "management"} (the namespace {@code local.management.port}
 * is named after), and every other context's server is the application's. So one
 * declaration of the hooks serves both contexts.
 * <p>
 * One source for both Boot generations (the Boot 3.5 artifact compiles it through its
 * name table): {@code F} is not bounded because Boot 3.5's Tomcat and Jetty factories
 * share an interface ({@code ConfigurableTomcatWebServerFactory},
 * {@code ConfigurableJettyWebServerFactory}) rather than a class; the port is read from
 * {@link AbstractConfigurableWebServerFactory}, which every server factory of both
 * generations extends.
 *
 * @param <F> the factory type
 */
public abstract class ReservedWebServerFactoryPostProcessor<F> implements BeanPostProcessor, ApplicationContextAware {

	private static final String MANAGEMENT_SERVER_NAMESPACE = "management";

	private final Class<F> factoryType;

	private final ObjectProvider<PortReservation> reservation;

	private final Environment environment;

	private ServerRole role = ServerRole.SERVER;

	private boolean startsServers = true;

	protected ReservedWebServerFactoryPostProcessor(Class<F> factoryType, ObjectProvider<PortReservation> reservation,
			Environment environment) {
		this.factoryType = factoryType;
		this.reservation = reservation;
		this.environment = environment;
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		// A MOCK test context defines the server factory but never starts a server:
		// nothing to bind for.
		this.startsServers = context instanceof WebServerApplicationContext;
		this.role = WebServerApplicationContext.hasServerNamespace(context, MANAGEMENT_SERVER_NAMESPACE)
				? ServerRole.MANAGEMENT : ServerRole.SERVER;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (this.startsServers && this.factoryType.isInstance(bean)
				&& bean instanceof AbstractConfigurableWebServerFactory ports) {
			F factory = this.factoryType.cast(bean);
			// A disabled server (negative port) must not reserve the (lazy) block: ask
			// for it only to listen.
			PortReservation reservation = listens(ports) ? this.reservation.getIfAvailable() : null;
			if (reservation != null) {
				applyPortRule(ports);
				ServerPortBinding binding = new ServerPortBinding(reservation, this.role.owner(),
						this.role.portProperty(), claimedPorts(),
						RequestedBlock.placedBy(this.environment, reservation.block()));
				binding.checkPort(ports.getPort());
				bindThroughReservation(factory, binding);
			}
		}
		return bean;
	}

	/**
	 * @return the ports the other server's property asks for explicitly, which a server
	 * asking for any free port of the block must leave alone (a management server
	 * configured on the block's first port, say)
	 */
	private Set<Integer> claimedPorts() {
		Set<Integer> claimed = new TreeSet<>();
		for (ServerRole other : ServerRole.values()) {
			if (other != this.role) {
				Integer port = this.environment.getProperty(other.portProperty(), Integer.class);
				if (port != null && port > 0) {
					claimed.add(port);
				}
			}
		}
		return claimed;
	}

	/**
	 * Applies the port rule: the application server with no {@code server.port} takes any
	 * free port of the block.
	 * @param factory the factory
	 */
	private void applyPortRule(AbstractConfigurableWebServerFactory factory) {
		if (portUnset()) {
			factory.setPort(0);
		}
	}

	/**
	 * @param factory the factory
	 * @return whether the server will listen at all (a negative port disables it)
	 */
	private boolean listens(AbstractConfigurableWebServerFactory factory) {
		return portUnset() || factory.getPort() >= 0;
	}

	private boolean portUnset() {
		return this.role == ServerRole.SERVER && !this.environment.containsProperty(this.role.portProperty());
	}

	/**
	 * Hooks the server's listening sockets to the reservation.
	 * @param factory the final factory
	 * @param binding the binding of the server's main socket
	 */
	protected abstract void bindThroughReservation(F factory, ServerPortBinding binding);

}
