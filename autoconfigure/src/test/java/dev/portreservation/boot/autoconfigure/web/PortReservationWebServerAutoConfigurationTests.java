package dev.portreservation.boot.autoconfigure.web;

import dev.portreservation.boot.autoconfigure.PortReservationAutoConfiguration;
import dev.portreservation.boot.autoconfigure.web.jetty.JettyReservedWebServerFactoryPostProcessor;
import dev.portreservation.boot.autoconfigure.web.netty.NettyReservedWebServerFactoryPostProcessor;
import dev.portreservation.boot.web.tomcat.ReservedHttp11NioProtocol;
import dev.portreservation.boot.autoconfigure.web.tomcat.TomcatReservedWebServerFactoryPostProcessor;
import dev.portreservation.boot.web.ServerRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.springframework.beans.BeanUtils;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.ApplicationContextAssert.Scope;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.context.servlet.AnnotationConfigServletWebApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PortReservationWebServerAutoConfiguration}: which hooks exist, and what they do
 * to a factory. Shared with the Boot 3.5 module, which reads the factory's protocol
 * through its own {@link TomcatFactoryProtocol}.
 */
class PortReservationWebServerAutoConfigurationTests {

	// A context that says it starts web servers (without starting one): the hooks act
	// only in such contexts,
	// not in a MOCK test context, which never binds.
	private final WebApplicationContextRunner runner = new WebApplicationContextRunner(ServerContext::new)
		.withConfiguration(AutoConfigurations.of(PortReservationAutoConfiguration.class,
				PortReservationWebServerAutoConfiguration.class))
		.withPropertyValues("portreservation.backend=portable");

	@Test
	void registersAHookForEveryServerOnTheClassPath() {
		this.runner
			.run((context) -> assertThat(context).hasSingleBean(TomcatReservedWebServerFactoryPostProcessor.class)
				.hasSingleBean(NettyReservedWebServerFactoryPostProcessor.class)
				.hasSingleBean(JettyReservedWebServerFactoryPostProcessor.class));
	}

	@Test
	void serverDisabledLeavesTheServerAlone() {
		this.runner.withPropertyValues("portreservation.server.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TomcatReservedWebServerFactoryPostProcessor.class)
				.hasBean("portReservation"));
	}

	@Test
	void reservationDisabledLeavesTheServerAlone() {
		this.runner.withPropertyValues("portreservation.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TomcatReservedWebServerFactoryPostProcessor.class));
	}

	@Test
	void notAWebApplicationHasNoHooks() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PortReservationAutoConfiguration.class,
					PortReservationWebServerAutoConfiguration.class))
			.withPropertyValues("portreservation.backend=portable")
			.run((context) -> assertThat(context).hasBean("portReservation")
				.doesNotHaveBean(TomcatReservedWebServerFactoryPostProcessor.class));
	}

	@Test
	void unsetServerPortTakesAnyPortOfTheBlockAndTomcatGetsTheReservedProtocol() {
		this.runner.withUserConfiguration(TomcatFactory.class).run((context) -> {
			TomcatServletWebServerFactory factory = context.getBean(TomcatServletWebServerFactory.class);
			assertThat(factory.getPort()).isZero();
			assertThat(TomcatFactoryProtocol.of(factory)).isEqualTo(ReservedHttp11NioProtocol.class.getName());
			assertThat(context.getBeanFactory().containsSingleton("portReservation")).isTrue();
		});
	}

	@Test
	void serverPortInsideTheBlockIsKept() {
		this.runner.withUserConfiguration(TomcatFactory.class)
			.withPropertyValues("portreservation.start-port=61000", "portreservation.count=4", "server.port=61002")
			.run((context) -> assertThat(context.getBean(TomcatServletWebServerFactory.class).getPort())
				.isEqualTo(61002));
	}

	@Test
	void serverPortOutsideTheBlockFailsNamingTheProperty() {
		this.runner.withUserConfiguration(TomcatFactory.class)
			.withPropertyValues("portreservation.start-port=61000", "portreservation.count=4", "server.port=8080")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("server.port=8080 lies outside the reserved block 61000-61003"));
	}

	@Test
	void negativeServerPortDisablesTheServerAndIsLeftAlone() {
		this.runner.withUserConfiguration(TomcatFactory.class).withPropertyValues("server.port=-1").run((context) -> {
			assertThat(TomcatFactoryProtocol.of(context.getBean(TomcatServletWebServerFactory.class)))
				.isEqualTo(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
			assertThat(context.getBeanFactory().containsSingleton("portReservation")).isFalse();
		});
	}

	@Test
	void udpBlockCannotServeTheWebServer() {
		this.runner.withUserConfiguration(TomcatFactory.class)
			.withPropertyValues("portreservation.protocol=udp", "portreservation.count=2")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("needs a TCP block")
				.hasMessageContaining("UDP"));
	}

	@Test
	void mockWebContextReservesNothingAndLeavesTheFactoryAlone() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PortReservationAutoConfiguration.class,
					PortReservationWebServerAutoConfiguration.class))
			.withPropertyValues("portreservation.backend=portable")
			.withUserConfiguration(TomcatFactory.class)
			.run((context) -> {
				assertThat(TomcatFactoryProtocol.of(context.getBean(TomcatServletWebServerFactory.class)))
					.isEqualTo(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
				assertThat(context.getBeanFactory().containsSingleton("portReservation")).isFalse();
			});
	}

	@Test
	void managementChildContextHasAHookForEveryServerOnTheClassPath() {
		inManagementChildContext(new String[0],
				(child) -> assertThat(child)
					.hasSingleBean(TomcatReservedWebServerFactoryPostProcessor.class, Scope.NO_ANCESTORS)
					.hasSingleBean(NettyReservedWebServerFactoryPostProcessor.class, Scope.NO_ANCESTORS)
					.hasSingleBean(JettyReservedWebServerFactoryPostProcessor.class, Scope.NO_ANCESTORS));
	}

	// Each hook serves the server of its own context: the application's web server, or
	// the management server in the child context Boot starts for management.server.port.
	@ParameterizedTest(name = "{0} as the {1}")
	@MethodSource("serversAndRoles")
	void aPortOutsideTheBlockFailsNamingThePropertyOfTheContextsServer(
			Class<? extends AbstractConfigurableWebServerFactory> factoryType, ServerRole role) {
		String[] properties = { "portreservation.start-port=61000", "portreservation.count=4",
				role.portProperty() + "=8080" };
		ContextConsumer<AssertableWebApplicationContext> failsNamingTheProperty = (context) -> assertThat(context)
			.getFailure()
			.rootCause()
			.hasMessageStartingWith(role.portProperty() + "=8080 lies outside the reserved block 61000-61003");
		if (role == ServerRole.SERVER) {
			withFactoryOn8080(this.runner.withPropertyValues(properties), factoryType).run(failsNamingTheProperty);
		}
		else {
			inManagementChildContext(properties, (runner) -> withFactoryOn8080(runner, factoryType),
					failsNamingTheProperty);
		}
	}

	static Stream<Arguments> serversAndRoles() {
		return Stream
			.of(TomcatServletWebServerFactory.class, NettyReactiveWebServerFactory.class,
					JettyServletWebServerFactory.class)
			.flatMap((factory) -> Stream.of(ServerRole.values()).map((role) -> Arguments.of(factory, role)));
	}

	private static <F extends AbstractConfigurableWebServerFactory> WebApplicationContextRunner withFactoryOn8080(
			WebApplicationContextRunner runner, Class<F> factoryType) {
		return runner.withBean(factoryType, () -> {
			F factory = BeanUtils.instantiateClass(factoryType);
			factory.setPort(8080);
			return factory;
		});
	}

	private void inManagementChildContext(String[] properties,
			ContextConsumer<AssertableWebApplicationContext> assertions) {
		inManagementChildContext(properties, (runner) -> runner, assertions);
	}

	/**
	 * Runs the management child context configuration as Boot does for a management
	 * server on its own port: in a child context of server namespace "management", whose
	 * parent holds the reservation.
	 */
	private void inManagementChildContext(String[] properties, UnaryOperator<WebApplicationContextRunner> childBeans,
			ContextConsumer<AssertableWebApplicationContext> assertions) {
		this.runner.withPropertyValues(properties).run((parent) -> {
			assertThat(parent).hasNotFailed();
			childBeans
				.apply(new WebApplicationContextRunner(ManagementServerContext::new).withParent(parent)
					.withPropertyValues(properties)
					.withUserConfiguration(PortReservationManagementChildContextConfiguration.class))
				.run(assertions);
		});
	}

	static class ServerContext extends AnnotationConfigServletWebApplicationContext
			implements WebServerApplicationContext {

		@Override
		public WebServer getWebServer() {
			return null;
		}

		@Override
		public String getServerNamespace() {
			return null;
		}

	}

	static class ManagementServerContext extends ServerContext {

		@Override
		public String getServerNamespace() {
			return "management";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TomcatFactory {

		// As Boot's ServletWebServerFactoryCustomizer does, the factory takes server.port
		// when it is set.
		@Bean
		TomcatServletWebServerFactory tomcatFactory(Environment environment) {
			TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
			Integer port = environment.getProperty("server.port", Integer.class);
			if (port != null) {
				factory.setPort(port);
			}
			return factory;
		}

	}

}
