// Not shared with the Boot 4 copy: Boot 3.5 chooses the server by factory bean, Boot 4 by auto-configuration;
// RunningServer, which reads sources() and properties(), is shared.
package dev.portreservation.boot.autoconfigure.web;

import java.util.List;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatReactiveWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;

/**
 * The server under test, chosen by its factory bean (all servers are on the class path).
 */
enum EmbeddedServer {

	TOMCAT(WebApplicationType.SERVLET, TomcatServletWebServerFactory.class),

	TOMCAT_REACTIVE(WebApplicationType.REACTIVE, TomcatReactiveWebServerFactory.class),

	NETTY(WebApplicationType.REACTIVE, NettyReactiveWebServerFactory.class),

	JETTY(WebApplicationType.SERVLET, JettyServletWebServerFactory.class);

	private final WebApplicationType type;

	private final Class<?> factory;

	EmbeddedServer(WebApplicationType type, Class<?> factory) {
		this.type = type;
		this.factory = factory;
	}

	WebApplicationType type() {
		return this.type;
	}

	/**
	 * @return sources that choose this server: its factory class, which the application
	 * registers as a bean (made with its no-argument constructor), and from which Boot's
	 * own factory backs off
	 */
	Class<?>[] sources() {
		return new Class<?>[] { this.factory };
	}

	/**
	 * @return properties that choose this server: none
	 */
	List<String> properties() {
		return List.of();
	}

}
