package dev.portreservation.boot.autoconfigure.metrics;

import dev.portreservation.boot.metrics.PortReservationMeterBinder;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless Boot's meter switches deny every {@code portreservation.*} meter. Boot's
 * {@code management.metrics.enable.<prefix>} filter already hides denied meters; backing
 * off as well means no listener is added to the reservations, so a bind does no metering
 * work at all. The rule is the filter's: the longest matching prefix wins and {@code all}
 * is the fallback, so {@code management.metrics.enable.portreservation=false} with
 * {@code management.metrics.enable.portreservation.binds=true} still needs the meters.
 */
class OnPortReservationMetersEnabledCondition extends SpringBootCondition {

	private static final String ENABLE = "management.metrics.enable";

	private static final String PREFIX = PortReservationMeterBinder.PREFIX;

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("portreservation meters");
		Map<String, Boolean> enable = Binder.get(context.getEnvironment())
			.bind(ENABLE, Bindable.mapOf(String.class, Boolean.class))
			.orElse(Map.of());
		boolean prefixEnabled = enable.getOrDefault(PREFIX, enable.getOrDefault("all", true));
		if (prefixEnabled) {
			return ConditionOutcome.match(message.because("meters named " + PREFIX + ".* are enabled"));
		}
		boolean someEnabled = enable.entrySet()
			.stream()
			.anyMatch((entry) -> entry.getKey().startsWith(PREFIX + ".") && Boolean.TRUE.equals(entry.getValue()));
		if (someEnabled) {
			return ConditionOutcome.match(message.because("some meters below " + PREFIX + " are enabled"));
		}
		return ConditionOutcome.noMatch(message.because(ENABLE + " denies every meter named " + PREFIX + ".*"));
	}

}
