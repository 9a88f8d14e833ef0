package dev.portreservation.boot.autoconfigure;

/**
 * Which Spring Boot generation this artifact is built for: the Spring Boot 3.5 artifact's
 * copy of the class (the Boot 4 artifact has its own).
 */
final class PortReservationArtifact {

	/** The generation this artifact's server hooks are written against. */
	static final SpringBootGeneration SPRING_BOOT = SpringBootGeneration.BOOT_3;

	private PortReservationArtifact() {
	}

}
