package dev.portreservation.boot.web.tomcat;

import dev.portreservation.boot.web.ServerPortBinding;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Tomcat's HTTP/1.1 NIO protocol with a listening socket bound through the reserved
 * block. Tomcat creates a protocol from its class name, so the reservation is handed to
 * each instance afterwards, by {@link #bindThrough(ServerPortBinding)}, before the
 * connector starts; an instance never given one fails to start rather than binding
 * outside the block.
 * <p>
 * For an additional connector that should bind from the block, create it with
 * {@link #newConnector()}.
 */
public class ReservedHttp11NioProtocol extends Http11NioProtocol {

	public ReservedHttp11NioProtocol() {
		super(new ReservedNioEndpoint());
	}

	/**
	 * @return a new connector using this protocol, to pass to
	 * {@code TomcatWebServerFactory#addAdditionalConnectors}
	 */
	public static Connector newConnector() {
		return new Connector(ReservedHttp11NioProtocol.class.getName());
	}

	/**
	 * Gives this connector's listening socket its reservation.
	 * @param binding how to bind
	 */
	public void bindThrough(ServerPortBinding binding) {
		((ReservedNioEndpoint) getEndpoint()).setBinding(binding);
	}

}
