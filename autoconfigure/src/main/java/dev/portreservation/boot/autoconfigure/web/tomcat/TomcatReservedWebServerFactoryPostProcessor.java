package dev.portreservation.boot.autoconfigure.web.tomcat;

import dev.portreservation.boot.LeaseOwner;
import dev.portreservation.boot.web.tomcat.ReservedHttp11NioProtocol;

import java.util.List;

import dev.portreservation.boot.PortReservationSetupException;
import dev.portreservation.boot.autoconfigure.web.ReservedWebServerFactoryPostProcessor;
import dev.portreservation.boot.web.ServerPortBinding;
import dev.portreservation.boot.web.ServerRole;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException.Reason;

import org.apache.catalina.connector.Connector;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.core.env.Environment;

/**
 * Binds Tomcat (servlet and reactive) through the reservation: the main connector gets
 * {@link ReservedHttp11NioProtocol}; each additional connector must already use it and
 * gets its own lease ({@code connector-1}, {@code connector-2}, ...). Any other protocol
 * (NIO2, APR) has no hook before its bind, so it is a startup error rather than a silent
 * bind outside the block.
 */
public class TomcatReservedWebServerFactoryPostProcessor
		extends ReservedWebServerFactoryPostProcessor<TomcatWebServerFactory> {

	private static final String RESERVED_PROTOCOL = ReservedHttp11NioProtocol.class.getName();

	public TomcatReservedWebServerFactoryPostProcessor(ObjectProvider<PortReservation> reservation,
			Environment environment, ServerRole role) {
		super(TomcatWebServerFactory.class, reservation, environment, role);
	}

	@Override
	protected void bindThroughReservation(TomcatWebServerFactory factory, ServerPortBinding binding) {
		String protocol = factory.getProtocol();
		if (!TomcatWebServerFactory.DEFAULT_PROTOCOL.equals(protocol) && !RESERVED_PROTOCOL.equals(protocol)) {
			throw unsupportedProtocol("The Tomcat connector's protocol " + protocol + " cannot bind through a port "
					+ "reservation (only " + TomcatWebServerFactory.DEFAULT_PROTOCOL + " has a hook before its bind)",
					binding, "Use Tomcat's NIO protocol: remove the custom protocol " + protocol
							+ " (set by TomcatWebServerFactory#setProtocol)");
		}
		factory.setProtocol(RESERVED_PROTOCOL);
		factory.addConnectorCustomizers((connector) -> reservedProtocol(connector).bindThrough(binding));
		List<Connector> additional = factory.getAdditionalConnectors();
		for (int i = 0; i < additional.size(); i++) {
			Connector connector = additional.get(i);
			String owner = LeaseOwner.connector(i + 1);
			if (!(connector.getProtocolHandler() instanceof ReservedHttp11NioProtocol reserved)) {
				throw unsupportedProtocol(
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

	private static PortReservationSetupException unsupportedProtocol(String message, ServerPortBinding binding,
			String fix) {
		PortReservation reservation = binding.reservation();
		return new PortReservationSetupException(Reason.UNSUPPORTED, message, reservation.block(),
				reservation.protocol(),
				fix + "; or set portreservation.server.enabled=false to let Tomcat bind outside the block.");
	}

}
