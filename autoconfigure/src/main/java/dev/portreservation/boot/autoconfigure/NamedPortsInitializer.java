package dev.portreservation.boot.autoconfigure;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.IgnoreTopLevelConverterNotFoundBindHandler;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Registers {@code ${portreservation.ports.<name>}} before the configuration is read,
 * with {@link NamedPorts} as a bean that is closed with the context. Registered in
 * {@code META-INF/spring.factories}; a child context that shares its parent's environment
 * finds the source already there.
 */
public class NamedPortsInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {

	private static final List<String> SERVER_PORT_PROPERTIES = List.of("server.port", "management.server.port",
			"spring.rsocket.server.port", "spring.grpc.server.port");

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		ConfigurableEnvironment environment = context.getEnvironment();
		if (environment.getPropertySources().contains(NamedPorts.NAME)) {
			return;
		}
		NamedPorts namedPorts = new NamedPorts(() -> reserve(environment),
				(port) -> !portsNamedByServers(environment).contains(port));
		environment.getPropertySources().addLast(new NamedPortsPropertySource(namedPorts));
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		beanFactory.registerSingleton(NamedPorts.NAME, namedPorts);
		if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
			registry.registerDisposableBean(NamedPorts.NAME, namedPorts::close);
		}
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

	// The same properties, rules and backend choice as the auto-configuration, which then
	// adopts this block.
	private static PortReservation reserve(ConfigurableEnvironment environment) {
		PortReservationProperties properties = new PortReservationProperties();
		Binder.get(environment)
			.bind("portreservation", Bindable.ofInstance(properties),
					new ValidationBindHandler(new IgnoreTopLevelConverterNotFoundBindHandler(), properties));
		if (!properties.isEnabled()) {
			throw new PortReservationException(Reason.INVALID,
					"A ${" + NamedPorts.PREFIX + "<name>} placeholder "
							+ "needs the reserved block, but portreservation.enabled=false; remove the placeholder or "
							+ "enable the starter");
		}
		boolean serverBindsThroughBlock = properties.getServer().isEnabled()
				&& !"none".equalsIgnoreCase(environment.getProperty("spring.main.web-application-type", ""));
		return ReservedBlock.reserve(PortReservationBackends.create(properties),
				RequestedBlock.of(properties, environment, serverBindsThroughBlock));
	}

}
