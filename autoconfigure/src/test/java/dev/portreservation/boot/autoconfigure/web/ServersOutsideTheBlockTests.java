package dev.portreservation.boot.autoconfigure.web;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18.5: a server the starter cannot reach logs one WARN naming it. Real Tomcats: a
 * second Tomcat built by hand in a bean, and a plain {@code new Connector()} added to the
 * auto-configured Tomcat's service after the hooks ran; both listen outside the block,
 * and the log says so once for each, with the address and port (and the connector).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@EnabledOnOs(OS.LINUX)
@ExtendWith(OutputCaptureExtension.class)
class ServersOutsideTheBlockTests {

	private static final String OUTSIDE = "is outside the reserved block";

	@Test
	void handBuiltTomcatAndAPlainExtraConnectorEachGetOneWarnNamingThem(CapturedOutput output) throws Exception {
		try (RunningServer server = RunningServer.start(EmbeddedServer.TOMCAT,
				new Class<?>[] { HandBuiltTomcat.class, PlainConnector.class }, "portreservation.count=4")) {
			int handBuilt = server.context().getBean(Tomcat.class).getConnector().getLocalPort();
			int plain = server.context().getBean(PlainConnector.class).port();
			assertThat(server.reservation().block().contains(handBuilt)).isFalse();
			assertThat(server.reservation().block().contains(plain)).isFalse();
			List<String> warnings = warnings(output);
			assertThat(warnings).as("one WARN per server outside the block").hasSize(2);
			assertThat(warnings).anySatisfy((line) -> assertThat(line).contains("WARN")
				.contains("A server listening on 127.0.0.1:" + handBuilt + ", " + OUTSIDE + " "
						+ server.reservation().block()));
			assertThat(warnings).anySatisfy((line) -> assertThat(line).contains("WARN")
				.contains("Tomcat connector")
				.contains("not ReservedHttp11NioProtocol")
				.contains("listening on 127.0.0.1:" + plain + ", " + OUTSIDE));
			assertThat(String.join("\n", warnings)).doesNotContain(":" + server.webServerPort() + ",");
		}
		finally {
			// Neither is closed by the context: the test does it, so no later test sees
			// them.
			HandBuiltTomcat.stop();
			PlainConnector.stop();
		}
	}

	@Test
	void anApplicationWhoseServersAllBindThroughTheBlockGetsNoWarn(CapturedOutput output) throws Exception {
		try (RunningServer server = RunningServer.start(EmbeddedServer.TOMCAT, "portreservation.count=4",
				"management.server.port=0", "management.server.address=127.0.0.1")) {
			assertThat(server.get(server.webServerPort(), "/hello")).isEqualTo("200 hello");
			int management = server.localManagementPort();
			// Other test classes in this JVM may leave servers of their own: only this
			// application's servers must go unmentioned.
			String block = server.reservation().block().toString();
			assertThat(warnings(output)).noneSatisfy((line) -> assertThat(line)
				.containsAnyOf(":" + server.webServerPort() + ",", ":" + management + ",", "block " + block + ": "));
		}
	}

	private static List<String> warnings(CapturedOutput output) {
		return output.getAll().lines().filter((line) -> line.contains(OUTSIDE)).toList();
	}

	/** A second Tomcat, built by hand: no auto-configuration, no hook. */
	@Configuration(proxyBeanMethods = false)
	static class HandBuiltTomcat {

		private static volatile Tomcat started;

		static void stop() throws LifecycleException {
			if (started != null) {
				started.stop();
				started.destroy();
				started = null;
			}
		}

		@Bean(destroyMethod = "")
		Tomcat handBuiltTomcat() throws LifecycleException {
			Tomcat tomcat = new Tomcat();
			started = tomcat;
			tomcat.setBaseDir(System.getProperty("java.io.tmpdir"));
			Connector connector = new Connector();
			connector.setPort(0);
			connector.setProperty("address", "127.0.0.1");
			tomcat.setConnector(connector);
			tomcat.start();
			return tomcat;
		}

	}

	/**
	 * A plain connector added to the running auto-configured Tomcat, where no hook of the
	 * starter sees it.
	 */
	@Configuration(proxyBeanMethods = false)
	static class PlainConnector implements ApplicationListener<WebServerInitializedEvent> {

		private static volatile Connector added;

		private volatile int port;

		static void stop() throws LifecycleException {
			if (added != null) {
				added.stop();
				added.destroy();
				added = null;
			}
		}

		@Override
		public void onApplicationEvent(WebServerInitializedEvent event) {
			if (event.getWebServer() instanceof TomcatWebServer tomcat) {
				Connector connector = new Connector();
				connector.setPort(0);
				connector.setProperty("address", "127.0.0.1");
				tomcat.getTomcat().getService().addConnector(connector);
				added = connector;
				this.port = connector.getLocalPort();
			}
		}

		int port() {
			return this.port;
		}

	}

}
