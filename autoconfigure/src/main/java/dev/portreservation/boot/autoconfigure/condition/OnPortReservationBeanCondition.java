package dev.portreservation.boot.autoconfigure.condition;

import dev.portreservation.core.PortReservation;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition behind {@link ConditionalOnPortReservationBean}. Evaluated when beans are
 * registered, so like {@code @ConditionalOnBean} it sees only beans defined before the
 * configuration it guards: user configuration and auto-configurations ordered earlier.
 */
class OnPortReservationBeanCondition extends SpringBootCondition implements ConfigurationCondition {

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnPortReservationBean.class);
		if (context.getBeanFactory() == null) {
			return ConditionOutcome.noMatch(message.because("there is no bean factory"));
		}
		String[] names = context.getBeanFactory().getBeanNamesForType(PortReservation.class, true, false);
		if (names.length == 0) {
			return ConditionOutcome.noMatch(message.didNotFind("PortReservation bean").atAll());
		}
		return ConditionOutcome.match(message.found("PortReservation bean", "PortReservation beans").items(names));
	}

}
