// Not shared with the Boot 4 copy: Boot 3.5 chooses the server by factory bean, Boot 4 by auto-configuration.
package dev.portreservation.boot.autoconfigure.web;

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

	Class<?> factory() {
		return this.factory;
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
