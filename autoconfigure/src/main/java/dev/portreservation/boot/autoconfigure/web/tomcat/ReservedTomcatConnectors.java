package dev.portreservation.boot.autoconfigure.web.tomcat;

import java.util.List;

import dev.portreservation.boot.LeaseOwner;
import dev.portreservation.boot.PortReservationSetupException;
import dev.portreservation.boot.web.ServerPortBinding;
import dev.portreservation.boot.web.tomcat.ReservedHttp11NioProtocol;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException.Reason;

import org.apache.catalina.connector.Connector;

/**
 * The connector side of the Tomcat hook, the same for both Boot generations (each has its
 * own {@link TomcatReservedWebServerFactoryPostProcessor}, because only Boot 4's factory
 * can report its protocol): the main connector and the additional connectors bind through
 * the reservation, or startup fails.
 */
final class ReservedTomcatConnectors {

	static final String RESERVED_PROTOCOL = ReservedHttp11NioProtocol.class.getName();

	private ReservedTomcatConnectors() {
	}

	/**
	 * Binds the main connector, which Tomcat created with the protocol the factory was
	 * given, through the reservation.
	 * @param connector the main connector
	 * @param binding the binding of the server's main socket
	 */
	static void bindMain(Connector connector, ServerPortBinding binding) {
		if (!(connector.getProtocolHandler() instanceof ReservedHttp11NioProtocol reserved)) {
			throw new IllegalStateException("Tomcat created its connector with "
					+ connector.getProtocolHandlerClassName() + " instead of " + RESERVED_PROTOCOL);
		}
		reserved.bindThrough(binding);
	}

	/**
	 * Gives each additional connector its own lease ({@code connector-1},
	 * {@code connector-2}, ...); one created with another protocol fails startup.
	 * @param additional the factory's additional connectors
	 * @param binding the binding of the server's main socket
	 */
	static void bindAdditional(List<Connector> additional, ServerPortBinding binding) {
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

	/**
	 * @param message what cannot bind through the reservation
	 * @param binding the binding of the server's main socket
	 * @param fix what to change
	 * @return the startup error, which also offers to let Tomcat bind outside the block
	 */
	static PortReservationSetupException unsupported(String message, ServerPortBinding binding, String fix) {
		PortReservation reservation = binding.reservation();
		return new PortReservationSetupException(Reason.UNSUPPORTED, message, reservation.block(),
				reservation.protocol(),
				fix + "; or set portreservation.server.enabled=false to let Tomcat bind outside the block.");
	}

}
