package dev.portreservation.test;

import java.util.List;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Gives the Spring test context of a {@link ReservedPorts} class that class's block.
 * Registered in {@code META-INF/spring.factories}; classes without the annotation are
 * left alone.
 */
class ReservedPortsContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return TestContextAnnotationUtils.hasAnnotation(testClass, ReservedPorts.class)
				? new ReservedPortsContextCustomizer(testClass) : null;
	}

}
