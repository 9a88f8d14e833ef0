package dev.portreservation.sample;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplicationAotProcessor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18.3: the block's lifecycle is the same in AOT mode. The sample app is processed
 * ahead of time as {@code spring-boot:process-aot} does (Spring Boot's
 * {@link SpringApplicationAotProcessor} in its own JVM, then the generated sources
 * compiled), started with {@code -Dspring.aot.enabled=true}, and stopped with SIGTERM as
 * a service manager would: the log must show the block reserved, the server on a port of
 * it, and the block released after the server stopped, exactly as in JVM mode.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class SampleAotLifecycleTests {

	private static final Pattern RESERVED = Pattern.compile("Reserved TCP block (\\d+)-(\\d+) \\(8 ports");

	private static final Pattern TOMCAT = Pattern.compile("Tomcat started on port (\\d+)");

	@TempDir
	Path work;

	@Test
	void aotModeReservesAndReleasesTheBlockAsJvmModeDoes() throws Exception {
		String classPath = applicationClassPath();
		Path sources = this.work.resolve("sources");
		Path resources = this.work.resolve("resources");
		Path classes = this.work.resolve("classes");
		String aot = run(List.of(java(), "-cp", classPath, SpringApplicationAotProcessor.class.getName(),
				SampleApplication.class.getName(), sources.toString(), resources.toString(), classes.toString(),
				"dev.portreservation", "portreservation-sample-app"));
		assertThat(generatedInitializer(sources)).as("AOT processing output:%n%s", aot).isTrue();
		compile(sources, classes, classPath);
		copy(resources, classes);
		String aotClassPath = classes + File.pathSeparator + classPath;

		List<String> jvmMode = lifecycle(startAndStop(classPath, false));
		List<String> aotMode = lifecycle(startAndStop(aotClassPath, true));

		assertThat(jvmMode).as("JVM mode (target/sample-jvm-mode.log)")
			.containsExactly("reserved", "tomcat on a port of the block", "released");
		assertThat(aotMode).as("the block's lifecycle in AOT mode (target/sample-aot-mode.log), like in JVM mode")
			.isEqualTo(jvmMode);
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/**
	 * The test JVM's class path without the test classes: what the packaged app has.
	 */
	private static String applicationClassPath() {
		return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter((entry) -> !entry.endsWith("test-classes"))
			.collect(Collectors.joining(File.pathSeparator));
	}

	private static boolean generatedInitializer(Path sources) throws IOException {
		if (!Files.isDirectory(sources)) {
			return false;
		}
		try (Stream<Path> files = Files.walk(sources)) {
			return files.anyMatch((file) -> file.getFileName().toString().startsWith("SampleApplication__"));
		}
	}

	private static void compile(Path sources, Path classes, String classPath) throws IOException {
		List<String> files;
		try (Stream<Path> walk = Files.walk(sources)) {
			files = walk.filter((file) -> file.toString().endsWith(".java")).map(Path::toString).toList();
		}
		Files.createDirectories(classes);
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		List<String> arguments = new ArrayList<>(
				List.of("-proc:none", "-parameters", "-nowarn", "-cp", classPath, "-d", classes.toString()));
		arguments.addAll(files);
		int exit = compiler.run(null, null, null, arguments.toArray(String[]::new));
		assertThat(exit).as("javac of the %d generated sources", files.size()).isZero();
	}

	private static void copy(Path from, Path to) throws IOException {
		if (!Files.isDirectory(from)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(from)) {
			for (Path file : walk.filter(Files::isRegularFile).toList()) {
				Path target = to.resolve(from.relativize(file).toString());
				Files.createDirectories(target.getParent());
				Files.copy(file, target);
			}
		}
	}

	/**
	 * Starts the app, waits until it has started, stops it with SIGTERM and returns its
	 * output.
	 */
	private static List<String> startAndStop(String classPath, boolean aotMode) throws Exception {
		List<String> command = new ArrayList<>(List.of(java(), "-cp", classPath));
		if (aotMode) {
			command.add("-Dspring.aot.enabled=true");
		}
		command.addAll(List.of(SampleApplication.class.getName(), "--server.address=127.0.0.1",
				"--spring.main.banner-mode=off"));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		List<String> lines = new CopyOnWriteArrayList<>();
		CompletableFuture<Void> started = new CompletableFuture<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader output = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = output.readLine(); line != null; line = output.readLine()) {
					lines.add(line);
					if (line.contains("Started SampleApplication")) {
						started.complete(null);
					}
				}
			}
			catch (IOException ex) {
				// The process ended.
			}
			started.complete(null);
		});
		reader.start();
		try {
			started.get(240, TimeUnit.SECONDS);
		}
		finally {
			// SIGTERM: the JVM's shutdown hook closes the context, as on a service stop.
			// Through the handle: Process#destroy would also close the output the log is
			// read from.
			process.toHandle().destroy();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
			reader.join(10_000);
		}
		// Kept for a look after a failure.
		Files.write(Path.of("target", "sample-" + (aotMode ? "aot" : "jvm") + "-mode.log"), lines);
		assertThat(String.join("\n", lines)).as("the app (aot=%s) must start", aotMode)
			.contains("Started SampleApplication");
		return lines;
	}

	/**
	 * The block's events in the order the log shows them.
	 */
	private static List<String> lifecycle(List<String> lines) {
		List<String> events = new ArrayList<>();
		String block = null;
		int start = -1;
		int end = -1;
		for (String line : lines) {
			Matcher reserved = RESERVED.matcher(line);
			Matcher tomcat = TOMCAT.matcher(line);
			if (reserved.find()) {
				block = reserved.group(1) + "-" + reserved.group(2);
				start = Integer.parseInt(reserved.group(1));
				end = Integer.parseInt(reserved.group(2));
				events.add("reserved");
			}
			else if (tomcat.find()) {
				int port = Integer.parseInt(tomcat.group(1));
				events.add((port >= start && port <= end) ? "tomcat on a port of the block"
						: "tomcat on " + port + " outside the block " + block);
			}
			else if (block != null && line.contains("Released TCP block " + block)) {
				events.add("released");
			}
		}
		return events;
	}

	private static String run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as("AOT processing output:%n%s", output).isZero();
		return output;
	}

}
