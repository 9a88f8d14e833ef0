package dev.portreservation.boot.autoconfigure.web.tomcat;

import dev.portreservation.boot.web.tomcat.ReservedHttp11NioProtocol;

import dev.portreservation.boot.autoconfigure.web.ReservedWebServerFactoryPostProcessor;
import dev.portreservation.boot.web.ServerPortBinding;
import dev.portreservation.core.PortReservation;

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

	private static final String RESERVED_PROTOCOL = ReservedTomcatConnectors.RESERVED_PROTOCOL;

	public TomcatReservedWebServerFactoryPostProcessor(ObjectProvider<PortReservation> reservation,
			Environment environment) {
		super(TomcatWebServerFactory.class, reservation, environment);
	}

	@Override
	protected void bindThroughReservation(TomcatWebServerFactory factory, ServerPortBinding binding) {
		String protocol = factory.getProtocol();
		if (!TomcatWebServerFactory.DEFAULT_PROTOCOL.equals(protocol) && !RESERVED_PROTOCOL.equals(protocol)) {
			throw ReservedTomcatConnectors.unsupported(
					"The Tomcat connector's protocol " + protocol + " cannot bind through a port "
							+ "reservation (only " + TomcatWebServerFactory.DEFAULT_PROTOCOL
							+ " has a hook before its bind)",
					binding, "Use Tomcat's NIO protocol: remove the custom protocol " + protocol
							+ " (set by TomcatWebServerFactory#setProtocol)");
		}
		factory.setProtocol(RESERVED_PROTOCOL);
		factory.addConnectorCustomizers((connector) -> ReservedTomcatConnectors.bindMain(connector, binding));
		ReservedTomcatConnectors.bindAdditional(factory.getAdditionalConnectors(), binding);
	}

}
