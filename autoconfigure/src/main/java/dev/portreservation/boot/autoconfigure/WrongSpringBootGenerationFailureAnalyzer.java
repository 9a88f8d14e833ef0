package dev.portreservation.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Names the starter to use instead when the application runs the other Spring Boot
 * generation.
 */
class WrongSpringBootGenerationFailureAnalyzer extends AbstractFailureAnalyzer<WrongSpringBootGenerationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, WrongSpringBootGenerationException cause) {
		String artifacts = (cause.getBuiltFor() == SpringBootGeneration.BOOT_4)
				? "portreservation-spring-boot-starter (and portreservation-spring-boot-autoconfigure)"
				: "portreservation-spring-boot3-starter (and portreservation-spring-boot3-autoconfigure)";
		return new FailureAnalysis(cause.getMessage(),
				"Replace the dependency dev.portreservation:" + artifacts + " with dev.portreservation:"
						+ cause.getFound().starter() + " of the same version; the portreservation.* properties "
						+ "are the same.",
				cause);
	}

}
