package dev.portreservation.boot.generation;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.SpringBootVersion;

/**
 * Issue 18: the auto-configuration of the other Spring Boot generation on this
 * generation's real class path must stop the start naming the starter to use, before
 * anything is reserved or listens. Shared, as a test source folder, by the Boot 3.5
 * auto-configuration's tests (the Boot 4 auto-configuration on a Boot 3.5 class path:
 * Tomcat 10.1, actuator; without the check the application started, reserved a block and
 * Tomcat listened outside it) and the Boot 4 starter's (the Boot 3.5 auto-configuration
 * on a Boot 4 class path: Tomcat 11, Spring MVC).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OtherGenerationStopsTheStartTests {

	@Test
	void theOtherGenerationsAutoConfigurationStopsTheStartNamingThisGenerationsStarter() throws Exception {
		OtherGenerationRun run = OtherGenerationRun.start("--server.port=0", "--server.address=127.0.0.1");
		if (SpringBootVersion.getVersion().startsWith("3.")) {
			run.assertStartStoppedNaming(
					"portreservation-spring-boot-starter is built for Spring Boot 4, but this application runs "
							+ "Spring Boot 3.5.16",
					"with dev.portreservation:portreservation-spring-boot3-starter of the same version");
		}
		else {
			run.assertStartStoppedNaming(
					"portreservation-spring-boot3-starter is built for Spring Boot 3.5, but this application runs "
							+ "Spring Boot 4.",
					"with dev.portreservation:portreservation-spring-boot-starter of the same version");
		}
	}

}
