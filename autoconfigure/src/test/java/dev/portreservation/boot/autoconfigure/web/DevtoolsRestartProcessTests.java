package dev.portreservation.boot.autoconfigure.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import dev.portreservation.test.GuardTimeouts;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12.1 with real devtools: {@link DevtoolsRestartApp} runs in its own JVM (devtools
 * switches restarts off inside a test runner), restarts itself twice through devtools'
 * {@code Restarter}, and every start reports the same block and port. The library's
 * classes are kept out of the restart class loader, as a library jar is in an application
 * (only the test application's classes reload).
 */
@GuardTimeout(120)
class DevtoolsRestartProcessTests {

	private static final Pattern STARTED = Pattern.compile("STARTED block=(\\S+) port=(\\d+) loader=(\\S+)");

	@Test
	void realDevtoolsRestartsKeepTheBlockAndThePort(@TempDir Path dir) throws Exception {
		// What a library jar is to devtools: not reloaded. Here the library is a
		// directory of the build.
		Path metaInf = Files.createDirectories(dir.resolve("META-INF"));
		Files.writeString(metaInf.resolve("spring-devtools.properties"),
				"restart.exclude.portreservation=/(autoconfigure|core)/target/classes/\n"
						+ "restart.exclude.portreservation-core-tests=/core/target/test-classes/\n");
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
				+ java.io.File.pathSeparator + dir;
		Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Drestarts.left=2", "-cp", classPath, DevtoolsRestartApp.class.getName())
			.redirectErrorStream(true)
			.start();
		List<String> output = new ArrayList<>();
		List<Matcher> starts = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				output.add(line);
				Matcher started = STARTED.matcher(line);
				if (started.find()) {
					starts.add(started);
				}
			}
		}
		finally {
			if (!process.waitFor(GuardTimeouts.seconds(30), TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		String log = String.join("\n", output);
		assertThat(starts).as(log).hasSize(3);
		for (Matcher start : starts) {
			assertThat(start.group(1)).as("block in %s", log).isEqualTo(starts.get(0).group(1));
			assertThat(start.group(2)).as("port").isEqualTo(starts.get(0).group(2));
			assertThat(start.group(3)).as("class loader").isEqualTo("RestartClassLoader");
		}
		assertThat(output.stream().filter((line) -> line.contains("Reserved TCP block"))).as(log).hasSize(1);
		assertThat(output.stream().filter((line) -> line.contains("kept across the devtools restart"))).as(log)
			.hasSize(2);
		assertThat(process.exitValue()).isZero();
	}

}
