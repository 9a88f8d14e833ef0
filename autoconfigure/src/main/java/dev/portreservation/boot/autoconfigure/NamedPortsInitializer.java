package dev.portreservation.boot.autoconfigure;

import dev.portreservation.boot.namedports.NamedPortsPropertySource;
import dev.portreservation.boot.namedports.NamedPortsInput;
import dev.portreservation.boot.namedports.NamedPorts;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Registers {@code ${portreservation.ports.<name>}} before the configuration is read,
 * with {@link NamedPorts} as a bean that is closed with the context. Registered in
 * {@code META-INF/spring.factories}; a child context that shares its parent's environment
 * finds the source already there.
 * <p>
 * Names are lent from here until the context's lifecycle starts (the first phase, before
 * any server listens); after the refresh, every lent port is verified: a socket of
 * another process on it fails startup.
 */
public class NamedPortsInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {

	/** Name of the singleton that stops the lending when the lifecycle starts. */
	static final String LENDING_WINDOW = "portReservationNamedPortsLendingWindow";

	private static final List<String> SERVER_PORT_PROPERTIES = List.of("server.port", "management.server.port",
			"spring.rsocket.server.port", "spring.grpc.server.port");

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		ConfigurableEnvironment environment = context.getEnvironment();
		if (environment.getPropertySources().contains(NamedPorts.NAME)) {
			return;
		}
		// Before anything can resolve a name: a value set for it would win over the lent
		// port, and a failure thrown while a property is resolved can be swallowed by the
		// resolver (Boot falls back to another look-up), so the input is checked here.
		StrictPortReservationProperties.checkNamedPortsNotSet(environment);
		NamedPortsInput.check(environment);
		NamedPorts namedPorts = new NamedPorts(() -> BlockEntryPoint.reserveForNamedPort(context),
				(port) -> !portsNamedByServers(environment).contains(port), () -> NamedPortsInput.check(environment));
		environment.getPropertySources().addLast(new NamedPortsPropertySource(namedPorts));
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		beanFactory.registerSingleton(NamedPorts.NAME, namedPorts);
		if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
			registry.registerDisposableBean(NamedPorts.NAME, namedPorts::close);
		}
		beanFactory.registerSingleton(LENDING_WINDOW, new LendingWindow(namedPorts));
		context.addApplicationListener((ApplicationListener<ContextRefreshedEvent>) (event) -> {
			// Child contexts (the management server) publish to their parent too.
			if (event.getApplicationContext() == context) {
				namedPorts.stopLending();
				// Held through the backend bean, also when no bean asked for the block.
				BlockEntryPoint.checkBackend(namedPorts, context);
				// Every component has started (the lifecycle ran): a stranger on a lent
				// port fails the startup rather than being served as ours.
				namedPorts.verify();
			}
		});
	}

	/**
	 * The ports the servers' own properties ask for, read as written (a placeholder such
	 * as {@code ${portreservation.ports.web}} is not resolved here: it would ask for a
	 * named port from inside the lending of one).
	 */
	static Set<Integer> portsNamedByServers(ConfigurableEnvironment environment) {
		Set<Integer> ports = new HashSet<>();
		for (String property : SERVER_PORT_PROPERTIES) {
			for (PropertySource<?> source : environment.getPropertySources()) {
				Object value = (source instanceof NamedPortsPropertySource) ? null : source.getProperty(property);
				if (value != null) {
					String text = value.toString().trim();
					if (text.matches("[0-9]{1,5}")) {
						ports.add(Integer.parseInt(text));
					}
					break;
				}
			}
		}
		return ports;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	/**
	 * Stops the lending of new names when the context's lifecycle starts: in the first
	 * phase, before the embedded server (or anything else started by the lifecycle)
	 * listens, so no request can lend a port. Placeholders of beans are resolved when the
	 * beans are created, before this point.
	 */
	static final class LendingWindow implements SmartLifecycle {

		private final NamedPorts namedPorts;

		private volatile boolean running;

		LendingWindow(NamedPorts namedPorts) {
			this.namedPorts = namedPorts;
		}

		@Override
		public void start() {
			this.namedPorts.stopLending();
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return Integer.MIN_VALUE;
		}

	}

}
