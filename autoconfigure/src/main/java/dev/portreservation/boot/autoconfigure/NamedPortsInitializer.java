package dev.portreservation.boot.autoconfigure;

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

/**
 * Registers {@code ${portreservation.ports.<name>}} before the configuration is read,
 * with {@link NamedPorts} as a bean that is closed with the context. Registered in
 * {@code META-INF/spring.factories}; a child context that shares its parent's environment
 * finds the source already there.
 */
public class NamedPortsInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		ConfigurableEnvironment environment = context.getEnvironment();
		if (environment.getPropertySources().contains(NamedPorts.NAME)) {
			return;
		}
		NamedPorts namedPorts = new NamedPorts(() -> reserve(environment));
		environment.getPropertySources().addLast(new NamedPortsPropertySource(namedPorts));
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		beanFactory.registerSingleton(NamedPorts.NAME, namedPorts);
		if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
			registry.registerDisposableBean(NamedPorts.NAME, namedPorts::close);
		}
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
