package dev.portreservation.boot.autoconfigure;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The Spring integration depends on the core, never the other way round, and the
 * reservation's own auto-configuration does not depend on the server hooks built on top
 * of it.
 */
class AutoConfigureLayeringTests {

	private static final JavaClasses CLASSES = ProductionClasses.ALL;

	@Test
	void coreAndBackendsDoNotDependOnTheSpringIntegration() {
		noClasses().that()
			.resideInAnyPackage("dev.portreservation.core..", "dev.portreservation.linux..",
					"dev.portreservation.windows..", "dev.portreservation.portable..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.portreservation.boot..", "org.springframework..")
			.check(CLASSES);
	}

	@Test
	void reservationAutoConfigurationDoesNotDependOnTheServerHooks() {
		noClasses().that()
			.resideInAnyPackage("dev.portreservation.boot.autoconfigure", "dev.portreservation.boot.reservation..",
					"dev.portreservation.boot.namedports..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.portreservation.boot.autoconfigure.web..", "dev.portreservation.boot.web..")
			.check(CLASSES);
	}

	@Test
	void serverHooksOfOneServerDoNotUseAnother() {
		noClasses().that()
			.resideInAPackage("..web.tomcat..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("..web.netty..", "..web.jetty..", "io.netty..", "org.eclipse.jetty..")
			.check(CLASSES);
		noClasses().that()
			.resideInAPackage("..web.jetty..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("..web.netty..", "..web.tomcat..", "io.netty..", "org.apache.catalina..")
			.check(CLASSES);
		noClasses().that()
			.resideInAPackage("..web.netty..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("..web.jetty..", "..web.tomcat..", "org.eclipse.jetty..", "org.apache.catalina..")
			.check(CLASSES);
	}

	/**
	 * As in Spring Boot's own modules: the library-level integration (server hooks, meter
	 * binder, health indicator, endpoint, the block's lifecycle, named ports) is usable
	 * without the auto-configuration, which builds on it.
	 */
	@Test
	void libraryLevelIntegrationDoesNotDependOnTheAutoConfiguration() {
		noClasses().that()
			.resideInAnyPackage("dev.portreservation.boot", "dev.portreservation.boot.web..",
					"dev.portreservation.boot.metrics..", "dev.portreservation.boot.health..",
					"dev.portreservation.boot.actuate..", "dev.portreservation.boot.reservation..",
					"dev.portreservation.boot.namedports..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.portreservation.boot.autoconfigure..")
			.check(CLASSES);
	}

}
