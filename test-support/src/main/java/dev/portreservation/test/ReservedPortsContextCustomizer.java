package dev.portreservation.test;

import dev.portreservation.boot.namedports.NamedPorts;
import dev.portreservation.boot.autoconfigure.NamedPortsInitializer;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.ClassUtils;

/**
 * Registers the test class's reservation as the context's {@code portReservation} bean,
 * so the auto-configuration backs off and binds the servers through it, and makes
 * {@code ${portreservation.ports.*}} resolve from the same names as {@link ReservedPort}.
 * The context is the class's own (this customizer is part of the cache key), because the
 * block is.
 */
final class ReservedPortsContextCustomizer implements ContextCustomizer {

	private static final boolean AUTOCONFIGURE_PRESENT = ClassUtils.isPresent(
			"dev.portreservation.boot.namedports.NamedPorts", ReservedPortsContextCustomizer.class.getClassLoader());

	private final Class<?> testClass;

	ReservedPortsContextCustomizer(Class<?> testClass) {
		this.testClass = testClass;
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
		ClassBlock block = ClassBlock.active(this.testClass);
		if (block == null) {
			throw new IllegalStateException("No block is held for " + this.testClass.getName() + ": the "
					+ "@ReservedPorts extension reserves it before the class's first test");
		}
		context.getBeanFactory().registerSingleton("portReservation", block.reservation());
		if (AUTOCONFIGURE_PRESENT) {
			NamedPortsAdoption.adopt(context, block);
		}
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof ReservedPortsContextCustomizer customizer && customizer.testClass == this.testClass;
	}

	@Override
	public int hashCode() {
		return this.testClass.hashCode();
	}

	/**
	 * Kept apart so that the auto-configuration's classes load only when it is on the
	 * classpath.
	 */
	private static final class NamedPortsAdoption {

		static void adopt(ConfigurableApplicationContext context, ClassBlock block) {
			// Idempotent: the initializer normally ran already (it is ordered first).
			new NamedPortsInitializer().initialize(context);
			NamedPorts.find(context.getEnvironment())
				.ifPresent((namedPorts) -> namedPorts.adopt(block.reservation(), block::port));
		}

	}

}
