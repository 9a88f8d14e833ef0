package dev.portreservation.cli;

import dev.portreservation.test.GuardTimeout;
import dev.portreservation.test.GuardTimeouts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the built CLI jar ({@code java -jar target/portreservation-cli-<version>.jar}) as
 * a separate process, as an operator would, and other processes the tests need.
 */
final class CliProcess {

	static final Path JAR = Path
		.of(System.getProperty("portreservation.cli.jar", "target/portreservation-cli-0.1.0-SNAPSHOT.jar"))
		.toAbsolutePath();

	static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private CliProcess() {
	}

	/**
	 * @param prefix a command to run the JVM under (for example setpriv), or none
	 * @param args the CLI's arguments
	 * @return what it printed and its exit code
	 */
	static Result run(List<String> prefix, String... args) throws IOException, InterruptedException {
		assertThat(JAR).as("the CLI jar, built by the package phase").isRegularFile();
		List<String> command = new ArrayList<>(prefix);
		command.addAll(List.of(JAVA, "-jar", JAR.toString()));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).start();
		CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process, true));
		String out = read(process, false);
		assertThat(process.waitFor(GuardTimeouts.seconds(60), TimeUnit.SECONDS))
			.as("the CLI finished within its guard of %d s (raise -D%s on a slow machine)", GuardTimeouts.seconds(60),
					GuardTimeout.FACTOR_PROPERTY)
			.isTrue();
		return new Result(process.exitValue(), out, err.join());
	}

	static Result run(String... args) throws IOException, InterruptedException {
		return run(List.of(), args);
	}

	private static String read(Process process, boolean error) {
		try {
			return new String((error ? process.getErrorStream() : process.getInputStream()).readAllBytes(),
					StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Starts a JVM running a main class of the test class path and waits for its first
	 * line.
	 * @param expectedPrefix how the first line must start
	 * @param mainClass the class
	 * @param args its arguments
	 * @return the process, still running
	 */
	static Process startJava(String expectedPrefix, Class<?> mainClass, String... args) throws IOException {
		List<String> command = new ArrayList<>(
				List.of(JAVA, "-cp", System.getProperty("java.class.path"), mainClass.getName()));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
			.readLine();
		assertThat(line).startsWith(expectedPrefix);
		return process;
	}

	/**
	 * Writes a holder registry record as the Linux backend does (docs/linux.md), for a
	 * process of this user.
	 */
	static void writeHolderRecord(Path directory, long pid, String command, String... blocks) throws IOException {
		Files.createDirectories(directory);
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
		String stat = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")),
				StandardCharsets.US_ASCII);
		String startTime = stat.substring(stat.lastIndexOf(')') + 1).strip().split(" ")[19];
		long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
		StringBuilder text = new StringBuilder(
				"pid=" + pid + "\nstarttime=" + startTime + "\ncommand=" + command + "\nuid=" + uid + "\n");
		for (int i = 0; i < blocks.length; i++) {
			text.append("block.").append(i).append('=').append(blocks[i]).append('\n');
		}
		Path file = directory.resolve(pid + ".holders");
		Files.writeString(file, text);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
	}

	/**
	 * @param exitCode the process's exit code
	 * @param out standard output
	 * @param err standard error
	 */
	record Result(int exitCode, String out, String err) {

		JsonNode json() {
			return JSON.readTree(this.out);
		}

		@Override
		public String toString() {
			return "exit " + this.exitCode + "\n--- stdout\n" + this.out + "--- stderr\n" + this.err;
		}

	}

}
