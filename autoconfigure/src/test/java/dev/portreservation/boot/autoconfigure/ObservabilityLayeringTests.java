package dev.portreservation.boot.autoconfigure;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Metrics and Actuator support sit on top of the reservation: nothing below them uses
 * them, the meters need Micrometer only (no Actuator), and neither reaches into the
 * server hooks.
 */
class ObservabilityLayeringTests {

	private static final JavaClasses CLASSES = ProductionClasses.ALL;

	@Test
	void nothingBelowDependsOnTheObservabilitySupport() {
		noClasses().that()
			.resideInAnyPackage("dev.portreservation.core..", "dev.portreservation.linux..",
					"dev.portreservation.windows..", "dev.portreservation.portable..", "dev.portreservation.boot",
					"dev.portreservation.boot.autoconfigure", "dev.portreservation.boot.autoconfigure.web..",
					"dev.portreservation.boot.web..", "dev.portreservation.boot.reservation..",
					"dev.portreservation.boot.namedports..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.portreservation.boot.metrics..", "dev.portreservation.boot.health..",
					"dev.portreservation.boot.actuate..", "dev.portreservation.boot.autoconfigure.metrics..",
					"dev.portreservation.boot.autoconfigure.actuate..", "io.micrometer..")
			.check(CLASSES);
	}

	@Test
	void metersNeedNoActuator() {
		noClasses().that()
			.resideInAnyPackage("dev.portreservation.boot.metrics..",
					"dev.portreservation.boot.autoconfigure.metrics..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.portreservation.boot.health..", "dev.portreservation.boot.actuate..",
					"dev.portreservation.boot.autoconfigure.actuate..", "org.springframework.boot.actuate..",
					"org.springframework.boot.health..")
			.check(CLASSES);
	}

	@Test
	void observabilityDoesNotUseTheServerHooks() {
		noClasses().that()
			.resideInAnyPackage("dev.portreservation.boot.metrics..", "dev.portreservation.boot.health..",
					"dev.portreservation.boot.actuate..", "dev.portreservation.boot.autoconfigure.metrics..",
					"dev.portreservation.boot.autoconfigure.actuate..",
					"dev.portreservation.boot.autoconfigure.condition..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.portreservation.boot.autoconfigure.web..", "dev.portreservation.boot.web..")
			.check(CLASSES);
	}

}
