package dev.portreservation.boot.autoconfigure.web.tomcat;

import dev.portreservation.boot.LeaseOwner;
import dev.portreservation.boot.web.ServerRole;

import dev.portreservation.boot.web.ServerPortBinding;

import dev.portreservation.boot.PortReservationSetupException;
import dev.portreservation.boot.autoconfigure.web.ReservedWebServerFactoryPostProcessor;
import dev.portreservation.boot.web.tomcat.ReservedHttp11NioProtocol;

import java.util.List;

import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException.Reason;
import org.apache.catalina.connector.Connector;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.embedded.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatReactiveWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.core.env.Environment;

/**
 * Spring Boot 3.5's Tomcat (10.1) factories, servlet and reactive: the connector's
 * protocol becomes {@link ReservedHttp11NioProtocol}, whose listening socket binds
 * through the block; additional connectors must have been created with
 * {@link ReservedHttp11NioProtocol#newConnector()}.
 * <p>
 * Boot 3.5's factories have no getter for the protocol, so a custom protocol set on the
 * factory cannot be told from the default and is replaced by the reserved NIO protocol
 * (Boot 4's hook refuses it instead).
 */
public class TomcatReservedWebServerFactoryPostProcessor
		extends ReservedWebServerFactoryPostProcessor<ConfigurableTomcatWebServerFactory> {

	private static final String RESERVED_PROTOCOL = ReservedHttp11NioProtocol.class.getName();

	public TomcatReservedWebServerFactoryPostProcessor(ObjectProvider<PortReservation> reservation,
			Environment environment, ServerRole role) {
		super(ConfigurableTomcatWebServerFactory.class, reservation, environment, role);
	}

	@Override
	protected void bindThroughReservation(ConfigurableTomcatWebServerFactory factory, ServerPortBinding binding) {
		List<Connector> additional;
		if (factory instanceof TomcatServletWebServerFactory servlet) {
			servlet.setProtocol(RESERVED_PROTOCOL);
			additional = servlet.getAdditionalTomcatConnectors();
		}
		else if (factory instanceof TomcatReactiveWebServerFactory reactive) {
			reactive.setProtocol(RESERVED_PROTOCOL);
			additional = reactive.getAdditionalTomcatConnectors();
		}
		else {
			throw unsupported(
					"Tomcat web server factory " + factory.getClass().getName()
							+ " is neither Spring Boot's servlet nor its reactive Tomcat factory, so its connector's "
							+ "protocol cannot be set",
					binding, "Use TomcatServletWebServerFactory or TomcatReactiveWebServerFactory (or a subclass)");
		}
		factory.addConnectorCustomizers((connector) -> reservedProtocol(connector).bindThrough(binding));
		for (int i = 0; i < additional.size(); i++) {
			Connector connector = additional.get(i);
			String owner = LeaseOwner.connector(i + 1);
			if (!(connector.getProtocolHandler() instanceof ReservedHttp11NioProtocol reserved)) {
				throw unsupported(
						"Additional Tomcat connector " + (i + 1) + " (port " + connector.getPort() + ") uses protocol "
								+ connector.getProtocolHandlerClassName()
								+ ", which binds outside the reservation; only a connector created with "
								+ RESERVED_PROTOCOL + " binds through it",
						binding, "Create additional connector " + (i + 1)
								+ " with ReservedHttp11NioProtocol.newConnector() instead of new Connector(...)");
			}
			ServerPortBinding connectorBinding = binding.forSocket(owner,
					"the port of additional Tomcat connector " + (i + 1));
			connectorBinding.checkPort(connector.getPort());
			reserved.bindThrough(connectorBinding);
		}
	}

	private static ReservedHttp11NioProtocol reservedProtocol(Connector connector) {
		if (connector.getProtocolHandler() instanceof ReservedHttp11NioProtocol reserved) {
			return reserved;
		}
		throw new IllegalStateException("Tomcat created its connector with " + connector.getProtocolHandlerClassName()
				+ " instead of " + RESERVED_PROTOCOL);
	}

	private static PortReservationSetupException unsupported(String message, ServerPortBinding binding, String fix) {
		PortReservation reservation = binding.reservation();
		return new PortReservationSetupException(Reason.UNSUPPORTED, message, reservation.block(),
				reservation.protocol(),
				fix + "; or set portreservation.server.enabled=false to let Tomcat bind outside the block.");
	}

}
