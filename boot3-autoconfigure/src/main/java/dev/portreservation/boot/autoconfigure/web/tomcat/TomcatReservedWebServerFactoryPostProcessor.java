package dev.portreservation.boot.autoconfigure.web.tomcat;

import dev.portreservation.boot.web.ServerPortBinding;

import dev.portreservation.boot.autoconfigure.web.ReservedWebServerFactoryPostProcessor;
import dev.portreservation.boot.web.tomcat.ReservedHttp11NioProtocol;

import java.util.List;

import dev.portreservation.core.PortReservation;
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

	private static final String RESERVED_PROTOCOL = ReservedTomcatConnectors.RESERVED_PROTOCOL;

	public TomcatReservedWebServerFactoryPostProcessor(ObjectProvider<PortReservation> reservation,
			Environment environment) {
		super(ConfigurableTomcatWebServerFactory.class, reservation, environment);
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
			throw ReservedTomcatConnectors.unsupported(
					"Tomcat web server factory " + factory.getClass().getName()
							+ " is neither Spring Boot's servlet nor its reactive Tomcat factory, so its connector's "
							+ "protocol cannot be set",
					binding, "Use TomcatServletWebServerFactory or TomcatReactiveWebServerFactory (or a subclass)");
		}
		factory.addConnectorCustomizers((connector) -> ReservedTomcatConnectors.bindMain(connector, binding));
		ReservedTomcatConnectors.bindAdditional(additional, binding);
	}

}
