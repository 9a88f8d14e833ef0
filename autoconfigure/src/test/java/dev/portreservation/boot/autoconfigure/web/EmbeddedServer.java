package dev.portreservation.boot.autoconfigure.web;

import java.util.List;

import org.springframework.boot.WebApplicationType;

/**
 * The server under test; auto-configurations of the others are excluded (all are on the
 * class path).
 */
enum EmbeddedServer {

	TOMCAT(WebApplicationType.SERVLET, AutoConfigurations.JETTY_SERVLET),

	TOMCAT_REACTIVE(WebApplicationType.REACTIVE,
			AutoConfigurations.NETTY_REACTIVE + "," + AutoConfigurations.JETTY_REACTIVE),

	NETTY(WebApplicationType.REACTIVE,
			AutoConfigurations.TOMCAT_REACTIVE_SERVER + "," + AutoConfigurations.JETTY_REACTIVE),

	JETTY(WebApplicationType.SERVLET, AutoConfigurations.TOMCAT_SERVLET);

	private final WebApplicationType type;

	private final String exclusions;

	EmbeddedServer(WebApplicationType type, String exclusions) {
		this.type = type;
		this.exclusions = exclusions;
	}

	WebApplicationType type() {
		return this.type;
	}

	/**
	 * @return configuration classes that choose this server: none, the
	 * auto-configurations pick it
	 */
	Class<?>[] sources() {
		return new Class<?>[0];
	}

	/**
	 * @return properties that choose this server: the others' auto-configurations
	 * excluded
	 */
	List<String> properties() {
		return List.of("spring.autoconfigure.exclude=" + this.exclusions);
	}

	private static final class AutoConfigurations {

		private AutoConfigurations() {
		}

		private static final String JETTY_AC = "org.springframework.boot.jetty.autoconfigure.";

		private static final String TOMCAT_AC = "org.springframework.boot.tomcat.autoconfigure.";

		private static final String NETTY_AC = "org.springframework.boot.reactor.netty.autoconfigure.";

		private static final String JETTY_SERVLET = JETTY_AC + "servlet.JettyServletWebServerAutoConfiguration,"
				+ JETTY_AC + "actuate.web.server.JettyServletManagementContextAutoConfiguration";

		private static final String JETTY_REACTIVE = JETTY_AC + "reactive.JettyReactiveWebServerAutoConfiguration,"
				+ JETTY_AC + "actuate.web.server.JettyReactiveManagementContextAutoConfiguration";

		private static final String TOMCAT_SERVLET = TOMCAT_AC + "servlet.TomcatServletWebServerAutoConfiguration,"
				+ TOMCAT_AC + "actuate.web.server.TomcatServletManagementContextAutoConfiguration";

		private static final String TOMCAT_REACTIVE_SERVER = TOMCAT_AC
				+ "reactive.TomcatReactiveWebServerAutoConfiguration," + TOMCAT_AC
				+ "actuate.web.server.TomcatReactiveManagementContextAutoConfiguration";

		private static final String NETTY_REACTIVE = NETTY_AC + "NettyReactiveWebServerAutoConfiguration," + NETTY_AC
				+ "actuate.web.server.NettyReactiveManagementContextAutoConfiguration";

	}

}
