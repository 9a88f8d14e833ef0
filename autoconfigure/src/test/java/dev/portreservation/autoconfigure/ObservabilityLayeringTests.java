package dev.portreservation.autoconfigure;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Metrics and Actuator support sit on top of the reservation: nothing below them uses them, the meters need
 * Micrometer only (no Actuator), and neither reaches into the server hooks.
 */
class ObservabilityLayeringTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.portreservation");

	@Test
	void nothingBelowDependsOnTheObservabilitySupport() {
		noClasses().that()
			.resideInAnyPackage("dev.portreservation.core..", "dev.portreservation.linux..",
					"dev.portreservation.windows..", "dev.portreservation.portable..", "dev.portreservation.autoconfigure",
					"dev.portreservation.autoconfigure.web..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.portreservation.autoconfigure.metrics..",
					"dev.portreservation.autoconfigure.actuate..", "io.micrometer..")
			.check(CLASSES);
	}

	@Test
	void metersNeedNoActuator() {
		noClasses().that()
			.resideInAPackage("dev.portreservation.autoconfigure.metrics..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.portreservation.autoconfigure.actuate..", "org.springframework.boot.actuate..",
					"org.springframework.boot.health..")
			.check(CLASSES);
	}

	@Test
	void observabilityDoesNotUseTheServerHooks() {
		noClasses().that()
			.resideInAnyPackage("dev.portreservation.autoconfigure.metrics..",
					"dev.portreservation.autoconfigure.actuate..", "dev.portreservation.autoconfigure.condition..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.portreservation.autoconfigure.web..")
			.check(CLASSES);
	}

}
