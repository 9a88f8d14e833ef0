package dev.portreservation.boot.generation;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 18: the Spring Boot 4 auto-configuration on a real Spring Boot 3.5 class path
 * (Tomcat 10.1, actuator) must stop the start naming the Boot 3 starter, before anything
 * is reserved or listens. Without the check the application started, reserved a block and
 * Tomcat listened outside it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Boot4StarterOnBoot3Tests {

	@Test
	void theBoot4AutoConfigurationStopsTheStartNamingTheBoot3Starter() throws Exception {
		OtherGenerationRun.start("--server.port=0", "--server.address=127.0.0.1")
			.assertStartStoppedNaming(
					"portreservation-spring-boot-starter is built for Spring Boot 4, but this application runs "
							+ "Spring Boot 3.5.16",
					"with dev.portreservation:portreservation-spring-boot3-starter of the same version");
	}

}
