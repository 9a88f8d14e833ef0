package dev.portreservation;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Keeps the library usable without Spring Boot: the core and the platform backends must
 * not depend on Spring, and dependencies point one way only (auto-configuration -> core
 * -> nothing above it).
 */
class LayeringTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.portreservation");

	private static final String[] LIBRARY = { "dev.portreservation.core..", "dev.portreservation.linux..",
			"dev.portreservation.windows..", "dev.portreservation.portable.." };

	@Test
	void coreAndBackendsDoNotUseSpring() {
		noClasses().that()
			.resideInAnyPackage(LIBRARY)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "io.micrometer..", "reactor..", "org.apache.catalina..",
					"org.eclipse.jetty..")
			.check(CLASSES);
	}

	@Test
	void libraryDoesNotReachIntoAutoConfiguration() {
		noClasses().that()
			.resideInAnyPackage(LIBRARY)
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.portreservation.boot..")
			.check(CLASSES);
	}

	@Test
	void coreDoesNotDependOnAnyBackend() {
		// The one exception is the factory, which creates backends by constructor so
		// settings flow in.
		noClasses().that()
			.resideInAPackage("dev.portreservation.core..")
			.and()
			.doNotHaveFullyQualifiedName("dev.portreservation.core.PlatformBackends")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.portreservation.linux..", "dev.portreservation.windows..",
					"dev.portreservation.portable..")
			.check(CLASSES);
	}

	@Test
	void backendsDoNotDependOnEachOther() {
		noClasses().that()
			.resideInAPackage("dev.portreservation.linux..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.portreservation.windows..", "dev.portreservation.portable..")
			.check(CLASSES);
		noClasses().that()
			.resideInAPackage("dev.portreservation.windows..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.portreservation.linux..", "dev.portreservation.portable..")
			.check(CLASSES);
	}

	@Test
	void apiDoesNotDependOnTheInternalRuntime() {
		// The API package names what users call; the runtime the backends share sits
		// below it, not in it.
		noClasses().that()
			.resideInAPackage("dev.portreservation.core")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.portreservation.core.internal..")
			.check(CLASSES);
	}

	@Test
	void reservationsNameHoldersThroughTheirOwnBackend() {
		// One path to a holder look-up inside the library: the backend's own
		// (PortReservations#holders), made by the factory. The platform-wide one is for
		// callers without a backend (the command line).
		noClasses().that()
			.resideInAnyPackage(LIBRARY)
			.and()
			.doNotHaveFullyQualifiedName("dev.portreservation.core.PortHolders")
			.and()
			.doNotHaveFullyQualifiedName("dev.portreservation.core.PlatformBackends")
			// The fallback's no-argument constructor: the platform's look-up is its own.
			.and()
			.doNotHaveFullyQualifiedName("dev.portreservation.portable.PortablePortReservations")
			.should()
			.callMethod("dev.portreservation.core.PortHolders", "forCurrentPlatform")
			.orShould()
			.callMethod("dev.portreservation.core.PlatformBackends", "holders", "dev.portreservation.core.BackendType")
			.check(CLASSES);
	}

}
