package dev.portreservation.boot.autoconfigure;

import dev.portreservation.boot.namedports.NamedPorts;
import dev.portreservation.boot.reservation.PortReservationLifecycle;
import dev.portreservation.boot.reservation.RequestedBlock;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

import dev.portreservation.boot.PortReservationSetupException;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservations;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.IgnoreTopLevelConverterNotFoundBindHandler;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The one place that decides how an application context's block is reserved, for both
 * ways in: the auto-configured {@code PortReservation} bean (asked for by the embedded
 * server or a bean) and a named port ({@code ${portreservation.ports.<name>}}) resolved
 * while the configuration is read. Whichever asks first reserves through here; the other
 * gets the same {@link PortReservationLifecycle} through {@link NamedPorts}.
 * <ul>
 * <li>Which block: {@code portreservation.*}, and {@code server.port} when this context's
 * embedded web server binds through the block, told by the context's type (a
 * {@code WebServerApplicationContext}) for both ways in.</li>
 * <li>Which backend: the context's {@link PortReservations} bean, the user's or the
 * auto-configured one. A named port resolved before the bean definitions are loaded (by
 * an initializer, say) cannot know whether the user defines one: it uses the backend
 * {@code portreservation.*} describes, which the auto-configured backend bean then is; a
 * backend bean of the user's found afterwards fails the startup, naming the bean and the
 * named port, rather than the block being held through another backend than the
 * user's.</li>
 * </ul>
 */
final class BlockEntryPoint {

	private static final String WEB_SERVER_CONTEXT = "org.springframework.boot.web.server.context."
			+ "WebServerApplicationContext";

	private BlockEntryPoint() {
	}

	/**
	 * The lifecycle that holds the block, for the auto-configured bean: the one a named
	 * port created already, or one reserved now.
	 * @param backend the context's backend bean
	 * @param properties the bound properties
	 * @param context the context
	 * @return the lifecycle
	 * @throws PortReservationSetupException when a named port reserved the block through
	 * another backend than this bean
	 */
	static PortReservationLifecycle lifecycle(PortReservations backend, PortReservationProperties properties,
			ApplicationContext context) {
		Supplier<PortReservationLifecycle> reserve = () -> reserve(backend, properties, context);
		Optional<NamedPorts> namedPorts = NamedPorts.find(context.getEnvironment());
		if (namedPorts.isEmpty()) {
			return reserve.get();
		}
		PortReservationLifecycle lifecycle = namedPorts.get().lifecycle(reserve);
		requireSameBackend(lifecycle, backend, namedPorts.get(), context);
		return lifecycle;
	}

	/**
	 * Checks, once the context is refreshed, that the block of the named ports came from
	 * the context's backend bean: a named port resolved before any bean was defined, with
	 * nothing asking for the {@code PortReservation} bean since, is not checked
	 * otherwise.
	 * @param namedPorts the context's named ports
	 * @param context the refreshed context
	 * @throws PortReservationSetupException when the block came through another backend
	 */
	static void checkBackend(NamedPorts namedPorts, ApplicationContext context) {
		namedPorts.heldBy().ifPresent((lifecycle) -> {
			PortReservations backend = context.getBeanProvider(PortReservations.class).getIfUnique();
			if (backend != null) {
				requireSameBackend(lifecycle, backend, namedPorts, context);
			}
		});
	}

	private static void requireSameBackend(PortReservationLifecycle lifecycle, PortReservations backend,
			NamedPorts namedPorts, ApplicationContext context) {
		if (lifecycle.getBackend() != backend) {
			throw reservedThroughAnotherBackend(lifecycle, backend, namedPorts, context);
		}
	}

	/**
	 * The auto-configured backend: the one a named port resolved before any bean was
	 * defined reserved the block through, or a new one.
	 * @param properties the bound properties
	 * @param environment the environment
	 * @return the backend {@code portreservation.*} describes
	 */
	static PortReservations backend(PortReservationProperties properties, Environment environment) {
		return NamedPorts.find(environment)
			.flatMap(NamedPorts::heldBy)
			.map(PortReservationLifecycle::getBackend)
			.orElseGet(() -> PortReservationBackends.create(properties));
	}

	/**
	 * Reserves the block for a named port resolved before anything else reserved it.
	 * @param context the context being prepared or refreshed
	 * @return the lifecycle, which the auto-configured bean then is
	 */
	static PortReservationLifecycle reserveForNamedPort(ConfigurableApplicationContext context) {
		PortReservationProperties properties = new PortReservationProperties();
		Binder.get(context.getEnvironment())
			.bind("portreservation", Bindable.ofInstance(properties),
					new ValidationBindHandler(new IgnoreTopLevelConverterNotFoundBindHandler(), properties));
		if (!properties.isEnabled()) {
			throw PortReservationException
				.builder(Reason.INVALID,
						"A ${" + NamedPorts.PREFIX + "<name>} placeholder needs the reserved block, "
								+ "but portreservation.enabled=false; remove the placeholder or enable the starter")
				.build();
		}
		return reserve(backendForNamedPort(context.getBeanFactory(), properties), properties, context);
	}

	// The backend bean once the bean definitions are loaded (the user's, or the
	// auto-configured one, created now); before that, the one the properties describe.
	private static PortReservations backendForNamedPort(ConfigurableListableBeanFactory beanFactory,
			PortReservationProperties properties) {
		if (beanFactory.getBeanNamesForType(PortReservations.class, true, false).length > 0) {
			return beanFactory.getBean(PortReservations.class);
		}
		return PortReservationBackends.create(properties);
	}

	private static PortReservationLifecycle reserve(PortReservations backend, PortReservationProperties properties,
			ApplicationContext context) {
		boolean serverBindsThroughBlock = properties.getServer().isEnabled() && isWebServerContext(context);
		RequestedBlock requested = RequestedBlock.of(properties.getProtocol(), properties.getKind(),
				properties.getStartPort(), properties.getCount(), context.getEnvironment(), serverBindsThroughBlock);
		return PortReservationLifecycle.reserve(backend, requested, properties.isDeleteOnShutdown(), context);
	}

	private static boolean isWebServerContext(ApplicationContext context) {
		ClassLoader loader = BlockEntryPoint.class.getClassLoader();
		return ClassUtils.isPresent(WEB_SERVER_CONTEXT, loader)
				&& ClassUtils.resolveClassName(WEB_SERVER_CONTEXT, loader).isInstance(context);
	}

	private static PortReservationSetupException reservedThroughAnotherBackend(PortReservationLifecycle lifecycle,
			PortReservations backend, NamedPorts namedPorts, ApplicationContext context) {
		String names = String.join(", ",
				namedPorts.ports()
					.keySet()
					.stream()
					.map((name) -> "${" + NamedPorts.PREFIX + name.replaceFirst("\\[[0-9]+\\]$", "") + "}")
					.toList());
		String beans = String.join(", ",
				Arrays.stream(context.getBeanNamesForType(PortReservations.class))
					.map((name) -> "'" + name + "'")
					.toList());
		return new PortReservationSetupException(Reason.INVALID,
				"Named port " + names + " was resolved before any bean was defined, so its block "
						+ lifecycle.getReservation().block() + " was reserved through the "
						+ lifecycle.getBackend().name() + " backend that portreservation.* describes; but this "
						+ "application defines its own PortReservations bean " + beans + " (the " + backend.name()
						+ " backend), which the block must come from",
				lifecycle.getReservation().block(), lifecycle.getReservation().protocol(),
				"Resolve named ports in beans (@Value, @ConfigurationProperties) rather than while the context is "
						+ "prepared (an ApplicationContextInitializer, an EnvironmentPostProcessor), or remove the "
						+ "PortReservations bean and choose the backend with portreservation.backend.");
	}

}
