package dev.portreservation.boot.autoconfigure.web;

import dev.portreservation.boot.web.tomcat.ReservedHttp11NioProtocol;

import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * Names the connector of the context's Tomcat that listens on a port, for the report of
 * servers outside the block. Loaded only where Tomcat is on the class path.
 */
final class TomcatConnectorNames {

	private TomcatConnectorNames() {
	}

	static String name(ApplicationContext context, int port) {
		if (!(context instanceof WebServerApplicationContext web)
				|| !(web.getWebServer() instanceof TomcatWebServer tomcat)) {
			return null;
		}
		for (Service service : tomcat.getTomcat().getServer().findServices()) {
			for (Connector connector : service.findConnectors()) {
				if (connector.getLocalPort() == port) {
					boolean reserved = connector.getProtocolHandler() instanceof ReservedHttp11NioProtocol;
					return "Tomcat connector " + connector + " (" + connector.getProtocolHandlerClassName()
							+ (reserved ? "" : ", not ReservedHttp11NioProtocol") + ")";
				}
			}
		}
		return null;
	}

}
