package dev.portreservation.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * The application runs a Spring Boot generation this portreservation artifact was not
 * built for.
 */
public class WrongSpringBootGenerationException extends IllegalStateException {

	private final SpringBootGeneration builtFor;

	private final SpringBootGeneration found;

	private final @Nullable String foundVersion;

	/**
	 * @param builtFor the generation this artifact was built for
	 * @param found the generation on the class path
	 * @param foundVersion the Spring Boot version on the class path, when its jar says
	 */
	public WrongSpringBootGenerationException(SpringBootGeneration builtFor, SpringBootGeneration found,
			@Nullable String foundVersion) {
		super(builtFor.starter() + " is built for Spring Boot " + builtFor.versions() + ", but this application runs "
				+ "Spring Boot " + ((foundVersion != null) ? foundVersion : found.versions())
				+ ": its web server would listen outside the reserved block. Use " + found.starter() + " instead.");
		this.builtFor = builtFor;
		this.found = found;
		this.foundVersion = foundVersion;
	}

	/**
	 * @return the generation this artifact was built for
	 */
	public SpringBootGeneration getBuiltFor() {
		return this.builtFor;
	}

	/**
	 * @return the generation on the class path
	 */
	public SpringBootGeneration getFound() {
		return this.found;
	}

	/**
	 * @return the Spring Boot version on the class path, or {@code null} when its jar
	 * does not say
	 */
	public @Nullable String getFoundVersion() {
		return this.foundVersion;
	}

}
