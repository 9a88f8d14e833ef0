package dev.portreservation.boot.autoconfigure;

/**
 * Which Spring Boot generation this artifact is built for. Each auto-configuration
 * artifact has its own copy of this class; everything else that checks the generation is
 * shared between them.
 */
final class PortReservationArtifact {

	/** The generation this artifact's server hooks are written against. */
	static final SpringBootGeneration SPRING_BOOT = SpringBootGeneration.BOOT_4;

	private PortReservationArtifact() {
	}

}
