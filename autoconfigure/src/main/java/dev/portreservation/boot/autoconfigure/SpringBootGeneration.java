package dev.portreservation.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * A generation of Spring Boot, each served by its own portreservation starter, and how to
 * tell which one a class path holds.
 * <p>
 * Told by a class of the {@code spring-boot} jar itself, which every Boot application
 * has: Boot 4 moved {@code EnvironmentPostProcessor} into
 * {@code org.springframework.boot} and {@code BootstrapRegistry} out of it.
 */
public enum SpringBootGeneration {

	/** Spring Boot 3.5.x. */
	BOOT_3("3.5", "portreservation-spring-boot3-starter", "org.springframework.boot.BootstrapRegistry"),

	/** Spring Boot 4.x. */
	BOOT_4("4", "portreservation-spring-boot-starter", "org.springframework.boot.EnvironmentPostProcessor");

	private final String versions;

	private final String starter;

	private final String marker;

	SpringBootGeneration(String versions, String starter, String marker) {
		this.versions = versions;
		this.starter = starter;
		this.marker = marker;
	}

	/**
	 * @return the Spring Boot versions this generation stands for, such as {@code "3.5"}
	 */
	public String versions() {
		return this.versions;
	}

	/**
	 * @return the artifact id of the portreservation starter built for it
	 */
	public String starter() {
		return this.starter;
	}

	/**
	 * @param classLoader the application's class loader
	 * @return the generation of the Spring Boot on that class path, or {@code null} when
	 * it is neither
	 */
	public static @Nullable SpringBootGeneration onClassPath(@Nullable ClassLoader classLoader) {
		for (SpringBootGeneration generation : values()) {
			if (ClassUtils.isPresent(generation.marker, classLoader)) {
				return generation;
			}
		}
		return null;
	}

}
