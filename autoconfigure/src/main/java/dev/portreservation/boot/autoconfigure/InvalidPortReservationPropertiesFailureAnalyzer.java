package dev.portreservation.boot.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.portreservation.core.PortBlock;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.validation.FieldError;

/**
 * Explains a {@code portreservation.*} value that {@link PortReservationProperties}
 * rejected, in the starter's own words instead of Boot's generic report: the property by
 * the name it is written with ({@code portreservation.start-port}, never the Java field
 * {@code startPort}), its value and origin, what is wrong, and an action chosen by the
 * error's code that works on the next start.
 * <p>
 * Ordered first because Boot's {@code BindValidationFailureAnalyzer} would otherwise
 * answer with "Update your application's configuration".
 */
class InvalidPortReservationPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<BindValidationException>
		implements Ordered {

	private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName
		.of(StrictPortReservationProperties.PREFIX);

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BindValidationException cause) {
		ValidationErrors errors = cause.getValidationErrors();
		if (!PREFIX.equals(errors.getName())) {
			return null;
		}
		List<FieldError> fieldErrors = errors.getAllErrors()
			.stream()
			.filter(FieldError.class::isInstance)
			.map(FieldError.class::cast)
			.toList();
		if (fieldErrors.isEmpty() || fieldErrors.size() != errors.getAllErrors().size()) {
			return null;
		}
		List<String> descriptions = new ArrayList<>();
		List<String> actions = new ArrayList<>();
		for (FieldError error : fieldErrors) {
			String property = PREFIX + "." + DataObjectPropertyName.toDashedForm(error.getField());
			ConfigurationProperty bound = bound(errors, property);
			StringBuilder description = new StringBuilder("Invalid configuration property '").append(property)
				.append("': ")
				.append(error.getDefaultMessage());
			description.append(String.format("%n%n    Property: %s", property));
			description
				.append(String.format("%n    Value:    %s", (bound != null) ? "\"" + error.getRejectedValue() + "\""
						: "not set (the default, " + error.getRejectedValue() + ")"));
			Origin origin = (bound != null) ? bound.getOrigin() : Origin.from(error);
			if (origin != null) {
				description.append(String.format("%n    Origin:   %s", origin));
			}
			descriptions.add(description.toString());
			actions.add(action(error));
		}
		BindException bindException = findCause(rootFailure, BindException.class);
		return new FailureAnalysis(String.join(String.format("%n%n"), descriptions), String.join(" ", actions),
				(bindException != null) ? bindException : cause);
	}

	private static ConfigurationProperty bound(ValidationErrors errors, String property) {
		ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
		return errors.getBoundProperties()
			.stream()
			.filter((candidate) -> candidate.getName().equals(name))
			.findFirst()
			.orElse(null);
	}

	private static String action(FieldError error) {
		List<String> codes = Arrays.asList(error.getCodes());
		Object[] arguments = error.getArguments();
		if (codes.contains(PortReservationProperties.COUNT_RANGE)) {
			return "Set portreservation.count to the number of ports the application needs, between 1 and 65535 "
					+ "(one for the server, one for a management server on its own port, one per additional "
					+ "connector and named port), or remove it for the default of 8.";
		}
		if (codes.contains(PortReservationProperties.COUNT_OVERFLOW) && arguments != null && arguments.length == 2
				&& arguments[0] instanceof Integer start && arguments[1] instanceof Integer count) {
			return "Set portreservation.start-port=" + (PortBlock.MAX_PORT - count + 1) + " (or lower), or lower "
					+ "portreservation.count to " + (PortBlock.MAX_PORT - start + 1) + " or less.";
		}
		if (codes.contains(PortReservationProperties.START_PORT_RANGE)) {
			return "Set portreservation.start-port to the first port of the block, between 1 and 65535, or remove "
					+ "it (0) to let the operating system pick a free runtime block.";
		}
		if (codes.contains(PortReservationProperties.START_PORT_PERSISTENT)) {
			return "Set portreservation.start-port to the first port of the persistent block, for example "
					+ "portreservation.start-port=40000 with portreservation.count=8 (only "
					+ "portreservation.start-port places a persistent block, server.port does not; every application "
					+ "naming the same start-port and count shares it). Or set portreservation.kind=runtime to let "
					+ "the operating system pick a free block, or server.port place it.";
		}
		if (codes.contains(PortReservationProperties.STATE_DIRECTORY_ABSOLUTE)) {
			return "Set portreservation.linux.state-directory to an absolute path, the same for every application "
					+ "that shares persistent blocks, or remove it to use /run/portreservation.";
		}
		if (codes.contains(PortReservationProperties.DELETE_ON_SHUTDOWN_RUNTIME)) {
			return "Remove portreservation.delete-on-shutdown (a runtime block is always released on shutdown), or "
					+ "set portreservation.kind=persistent with a portreservation.start-port for a block that "
					+ "outlives the application until it is deleted.";
		}
		return "Set " + PREFIX + "." + DataObjectPropertyName.toDashedForm(error.getField())
				+ " to a valid value as described above.";
	}

}
