package dev.portreservation.boot.autoconfigure;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The project's classes on the test class path, tests left out, for the layering rules
 * ({@link AutoConfigureLayeringTests}, {@link ObservabilityLayeringTests}): imported once
 * for both.
 */
final class ProductionClasses {

	static final JavaClasses ALL = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.portreservation");

	private ProductionClasses() {
	}

}
