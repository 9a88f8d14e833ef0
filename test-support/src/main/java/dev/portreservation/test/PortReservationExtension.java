package dev.portreservation.test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.function.Predicate;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;

/**
 * The extension behind {@link ReservedPorts}: reserves the class's block before its first
 * test, keeps it in the class's extension store (which closes it after the last test,
 * also when the class fails), and injects the reservation and named ports into fields and
 * parameters.
 */
public class PortReservationExtension implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {

	private static final Namespace NAMESPACE = Namespace.create(PortReservationExtension.class);

	@Override
	public void beforeAll(ExtensionContext context) {
		Class<?> testClass = context.getRequiredTestClass();
		ReservedPorts config = AnnotationSupport.findAnnotation(testClass, ReservedPorts.class).orElse(null);
		int count = (config != null) ? config.count() : 4;
		Protocol protocol = (config != null) ? config.protocol() : Protocol.TCP;
		ClassBlock block = ClassBlock.reserve(testClass, protocol, count);
		context.getStore(NAMESPACE).put(testClass, block);
		inject(null, testClass, block, (field) -> Modifier.isStatic(field.getModifiers()));
	}

	@Override
	public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
		inject(testInstance, testInstance.getClass(), block(context),
				(field) -> !Modifier.isStatic(field.getModifiers()));
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		Class<?> type = parameter.getParameter().getType();
		return type == PortReservation.class || (parameter.isAnnotated(ReservedPort.class) && isPortType(type));
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		ClassBlock block = block(context);
		if (parameter.getParameter().getType() == PortReservation.class) {
			return block.reservation();
		}
		return parameter.findAnnotation(ReservedPort.class)
			.map((named) -> (Object) block.port(named.value()))
			.orElseThrow(() -> new ParameterResolutionException("No @ReservedPort on " + parameter.getParameter()));
	}

	private static ClassBlock block(ExtensionContext context) {
		for (ExtensionContext current = context; current != null; current = current.getParent().orElse(null)) {
			if (current.getTestClass().isPresent()) {
				ClassBlock block = current.getStore(NAMESPACE).get(current.getRequiredTestClass(), ClassBlock.class);
				if (block != null) {
					return block;
				}
			}
		}
		throw new ExtensionConfigurationException(
				"No reserved block for " + context.getDisplayName() + "; annotate the test class with @ReservedPorts");
	}

	private static void inject(Object instance, Class<?> type, ClassBlock block, Predicate<Field> which) {
		for (Field field : ReflectionSupport.findFields(type, which, HierarchyTraversalMode.TOP_DOWN)) {
			Object value = null;
			if (field.getType() == PortReservation.class) {
				value = block.reservation();
			}
			else if (field.isAnnotationPresent(ReservedPort.class) && isPortType(field.getType())) {
				value = block.port(field.getAnnotation(ReservedPort.class).value());
			}
			if (value != null) {
				if (Modifier.isFinal(field.getModifiers())) {
					throw new ExtensionConfigurationException("Cannot inject into final field " + field);
				}
				try {
					field.setAccessible(true);
					field.set(instance, value);
				}
				catch (IllegalAccessException ex) {
					throw new ExtensionConfigurationException("Cannot inject into " + field, ex);
				}
			}
		}
	}

	private static boolean isPortType(Class<?> type) {
		return type == int.class || type == Integer.class;
	}

}
