package dev.portreservation.boot.autoconfigure;

import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;

/**
 * Stops the start of an application whose Spring Boot is not the generation this artifact
 * was built for: its auto-configuration would load, reserve a block, and then find none
 * of the server classes its hooks are conditional on, so the server would listen outside
 * the block without a word.
 * <p>
 * An initializer (registered in {@code spring.factories}) because both generations run
 * those before any bean exists, so nothing is reserved when the start fails.
 */
public final class SpringBootGenerationCheck
		implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		SpringBootGeneration found = SpringBootGeneration.onClassPath(context.getClassLoader());
		if (found != null && found != PortReservationArtifact.SPRING_BOOT) {
			throw new WrongSpringBootGenerationException(PortReservationArtifact.SPRING_BOOT, found,
					SpringBootVersion.getVersion());
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
