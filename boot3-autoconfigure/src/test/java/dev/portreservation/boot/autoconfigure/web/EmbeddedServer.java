// Not shared with the Boot 4 copy: Boot 3.5 chooses the server by factory bean, Boot 4 by auto-configuration;
// RunningServer, which reads sources() and properties(), is shared.
package dev.portreservation.boot.autoconfigure.web;

import java.util.List;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatReactiveWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The server under test, chosen by its factory bean (all servers are on the class path).
 */
enum EmbeddedServer {

	TOMCAT(WebApplicationType.SERVLET, Factories.TomcatServlet.class),

	TOMCAT_REACTIVE(WebApplicationType.REACTIVE, Factories.TomcatReactive.class),

	NETTY(WebApplicationType.REACTIVE, Factories.NettyReactive.class),

	JETTY(WebApplicationType.SERVLET, Factories.JettyServlet.class);

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
	 * @return configuration classes that choose this server: its factory bean, from which
	 * Boot's own backs off
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

	static final class Factories {

		private Factories() {
		}

		@Configuration(proxyBeanMethods = false)
		static class TomcatServlet {

			@Bean
			TomcatServletWebServerFactory tomcatServletWebServerFactory() {
				return new TomcatServletWebServerFactory();
			}

		}

		@Configuration(proxyBeanMethods = false)
		static class TomcatReactive {

			@Bean
			TomcatReactiveWebServerFactory tomcatReactiveWebServerFactory() {
				return new TomcatReactiveWebServerFactory();
			}

		}

		@Configuration(proxyBeanMethods = false)
		static class NettyReactive {

			@Bean
			NettyReactiveWebServerFactory nettyReactiveWebServerFactory() {
				return new NettyReactiveWebServerFactory();
			}

		}

		@Configuration(proxyBeanMethods = false)
		static class JettyServlet {

			@Bean
			JettyServletWebServerFactory jettyServletWebServerFactory() {
				return new JettyServletWebServerFactory();
			}

		}

	}

}
