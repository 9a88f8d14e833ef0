package dev.portreservation.boot.autoconfigure.aot;

import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.aot.BeanRegistrationCode;
import org.springframework.beans.factory.aot.BeanRegistrationCodeFragments;
import org.springframework.beans.factory.aot.BeanRegistrationCodeFragmentsDecorator;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.aot.generate.GenerationContext;
import org.springframework.javapoet.CodeBlock;

import java.util.function.Predicate;

/**
 * Keeps {@code @Bean(destroyMethod = "")} of this starter's beans in the bean definitions
 * generated ahead of time. Spring's code generation drops the empty name, and a bean
 * definition without one gets {@code close()} inferred on an {@code AutoCloseable}
 * instance: in AOT mode the container then closed the {@code PortReservation} bean before
 * the bean that owns the block released it, so the release line, the devtools hand-over
 * and the persistent-block clean-up saw an already closed block. The generated definition
 * now says "no destroy method" explicitly, as the annotation does.
 */
class NoInferredCloseAotProcessor implements BeanRegistrationAotProcessor {

	private static final String OWN_PACKAGE = "dev.portreservation.";

	@Override
	public BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		RootBeanDefinition definition = registeredBean.getMergedBeanDefinition();
		// By now Spring has resolved the destroy method: an AutoCloseable without one is
		// a
		// bean whose @Bean said destroyMethod = "" (otherwise close() would have been
		// inferred).
		String[] destroyMethods = definition.getDestroyMethodNames();
		boolean none = destroyMethods == null || destroyMethods.length == 0
				|| (destroyMethods.length == 1 && destroyMethods[0].isEmpty());
		if (!none || !AutoCloseable.class.isAssignableFrom(registeredBean.getBeanType().toClass())
				|| !declaredHere(registeredBean, definition)) {
			return null;
		}
		return BeanRegistrationAotContribution.withCustomCodeFragments(NoDestroyMethodCode::new);
	}

	private static boolean declaredHere(RegisteredBean registeredBean, RootBeanDefinition definition) {
		String factoryBean = definition.getFactoryBeanName();
		if (factoryBean == null || !registeredBean.getBeanFactory().containsBean(factoryBean)) {
			return false;
		}
		Class<?> factoryType = registeredBean.getBeanFactory().getType(factoryBean, false);
		return factoryType != null && factoryType.getName().startsWith(OWN_PACKAGE);
	}

	private static final class NoDestroyMethodCode extends BeanRegistrationCodeFragmentsDecorator {

		NoDestroyMethodCode(BeanRegistrationCodeFragments delegate) {
			super(delegate);
		}

		@Override
		public CodeBlock generateSetBeanDefinitionPropertiesCode(GenerationContext generationContext,
				BeanRegistrationCode beanRegistrationCode, RootBeanDefinition beanDefinition,
				Predicate<String> attributeFilter) {
			CodeBlock.Builder code = CodeBlock.builder();
			code.add(super.generateSetBeanDefinitionPropertiesCode(generationContext, beanRegistrationCode,
					beanDefinition, attributeFilter));
			// An empty name is Spring's "no destroy method"; without any name it would
			// infer
			// close().
			code.addStatement("$L.setDestroyMethodNames($S)", BEAN_DEFINITION_VARIABLE, "");
			return code.build();
		}

	}

}
