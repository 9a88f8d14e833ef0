package dev.portreservation.boot.generation;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 18: the Spring Boot 3.5 auto-configuration on a real Spring Boot 4 class path
 * (Tomcat 11, Spring MVC) in place of this starter's must stop the start naming this
 * starter, before anything is reserved or listens.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Boot3StarterOnBoot4Tests {

	@Test
	void theBoot3AutoConfigurationStopsTheStartNamingTheBoot4Starter() throws Exception {
		OtherGenerationRun.start("--server.port=0", "--server.address=127.0.0.1")
			.assertStartStoppedNaming(
					"portreservation-spring-boot3-starter is built for Spring Boot 3.5, but this application runs "
							+ "Spring Boot 4.",
					"with dev.portreservation:portreservation-spring-boot-starter of the same version");
	}

}
