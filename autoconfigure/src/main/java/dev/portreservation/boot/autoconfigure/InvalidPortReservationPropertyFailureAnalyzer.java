package dev.portreservation.boot.autoconfigure;

import dev.portreservation.boot.InvalidPortReservationPropertyException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidPortReservationPropertyException} in Boot's failure report:
 * the property, its value, where it was set, what is wrong and what to change.
 */
class InvalidPortReservationPropertyFailureAnalyzer
		extends AbstractFailureAnalyzer<InvalidPortReservationPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidPortReservationPropertyException cause) {
		StringBuilder description = new StringBuilder("Invalid configuration property '").append(cause.getProperty())
			.append("': ")
			.append(cause.getProblem());
		description.append(String.format("%n%n    Property: %s", cause.getProperty()));
		description.append(String.format("%n    Value:    \"%s\"", cause.getValue()));
		if (cause.getOrigin() != null) {
			description.append(String.format("%n    Origin:   %s", cause.getOrigin()));
		}
		return new FailureAnalysis(description.toString(), cause.getAction(), cause);
	}

}
