package dev.portreservation.boot.autoconfigure.web.jetty;

import dev.portreservation.boot.LeaseOwner;
import dev.portreservation.boot.web.jetty.ReservedConnectorBinder;

import dev.portreservation.boot.PortReservationSetupException;
import dev.portreservation.boot.autoconfigure.web.ReservedWebServerFactoryPostProcessor;
import dev.portreservation.boot.web.ServerPortBinding;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException.Reason;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jetty.JettyWebServerFactory;
import org.springframework.core.env.Environment;

/**
 * Binds Jetty (servlet and reactive) through the reservation: every
 * {@link ServerConnector} of the server opens its accept channel from the block, the
 * first as the server's own port, the others as {@code connector-1}, {@code connector-2},
 * ... A network connector of another kind cannot take a bound channel and fails startup.
 * <p>
 * The hook is a server customizer added after the factory's customization, so it runs
 * after customizers that add connectors.
 */
public class JettyReservedWebServerFactoryPostProcessor
		extends ReservedWebServerFactoryPostProcessor<JettyWebServerFactory> {

	public JettyReservedWebServerFactoryPostProcessor(ObjectProvider<PortReservation> reservation,
			Environment environment) {
		super(JettyWebServerFactory.class, reservation, environment);
	}

	@Override
	protected void bindThroughReservation(JettyWebServerFactory factory, ServerPortBinding binding) {
		factory.addServerCustomizers((server) -> bindConnectors(server, binding));
	}

	private void bindConnectors(Server server, ServerPortBinding binding) {
		int index = 0;
		for (Connector connector : server.getConnectors()) {
			if (!(connector instanceof NetworkConnector)) {
				continue;
			}
			// Boot's factory creates the server's own connector first; later ones were
			// added by customizers.
			ServerPortBinding socket = (index == 0) ? binding
					: binding.forSocket(LeaseOwner.connector(index), "the port of additional Jetty connector " + index);
			index++;
			if (!(connector instanceof ServerConnector serverConnector)) {
				PortReservation reservation = binding.reservation();
				throw new PortReservationSetupException(Reason.UNSUPPORTED,
						"Jetty connector " + connector.getName() + " is a " + connector.getClass().getName()
								+ ", which cannot bind through a port reservation",
						reservation.block(), reservation.protocol(),
						"Use a ServerConnector (or subclass) for every network connector, or set "
								+ "portreservation.server.enabled=false.");
			}
			socket.checkPort(serverConnector.getPort());
			serverConnector.addEventListener(new ReservedConnectorBinder(serverConnector, socket));
		}
	}

}
