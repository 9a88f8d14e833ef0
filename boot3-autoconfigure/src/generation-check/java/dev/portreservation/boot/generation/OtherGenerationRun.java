package dev.portreservation.boot.generation;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@link GenerationCheckApp} in a child JVM whose class path is the test class path
 * with this generation's auto-configuration replaced by the other Spring Boot
 * generation's (the build passes both locations as system properties). Shared, as a test
 * source folder, by the Boot 3.5 auto-configuration's tests (Boot 3.5 class path) and the
 * Boot 4 starter's (Boot 4 class path).
 *
 * @param exitCode the child's exit code
 * @param output what it printed
 */
public record OtherGenerationRun(int exitCode, String output) {

	public static OtherGenerationRun start(String... args) throws IOException, InterruptedException {
		String ownClasses = Path.of(property("portreservation.test.classes")).toString();
		List<String> classPath = new ArrayList<>();
		for (String entry : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
			.split(File.pathSeparator)) {
			if (!Path.of(entry).toString().equals(ownClasses)) {
				classPath.add(entry);
			}
		}
		classPath.add(property("portreservation.test.other-generation"));
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						String.join(File.pathSeparator, classPath), GenerationCheckApp.class.getName()));
		command.addAll(Arrays.asList(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		process.getOutputStream().close();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException(
					"The child JVM did not stop:\n" + new String(output, StandardCharsets.UTF_8));
		}
		return new OtherGenerationRun(process.exitValue(), new String(output, StandardCharsets.UTF_8));
	}

	/**
	 * Asserts that the start stopped, before anything was reserved or listened, with a
	 * failure report that says which generation the starter is for and which starter to
	 * use instead.
	 * @param builtFor the sentence naming the starter and the Boot generation it met
	 * @param useInstead the words naming the starter of the other generation
	 */
	public void assertStartStoppedNaming(String builtFor, String useInstead) {
		assertThat(this.output).as(this.output)
			.doesNotContain("STARTED")
			.doesNotContain("Reserved TCP block")
			.doesNotContain("Tomcat started")
			.contains("APPLICATION FAILED TO START")
			.contains(builtFor)
			.contains(useInstead);
		assertThat(this.exitCode).isNotZero();
	}

	private static String property(String name) {
		String value = System.getProperty(name);
		if (value == null || value.isEmpty() || value.startsWith("${")) {
			throw new IllegalStateException("The build sets system property " + name + " (see the module's pom)");
		}
		return value;
	}

}
