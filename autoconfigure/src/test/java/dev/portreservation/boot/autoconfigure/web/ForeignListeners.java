package dev.portreservation.boot.autoconfigure.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.portreservation.linux.PortHoldingProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listeners of another program on ports next to the application's: a separate JVM
 * ({@link PortHoldingProcess}, JDK only) that listens on 127.0.0.1, run as another real
 * Unix user when the tests run as root (a throwaway user made with {@code useradd}),
 * otherwise as this user in its own process. Closed by closing its input.
 */
final class ForeignListeners implements AutoCloseable {

	/** Distinct from the users other test classes create. */
	static final String USER = "prh5nb";

	private final Process process;

	private final String owner;

	private ForeignListeners(Process process, String owner) {
		this.process = process;
		this.owner = owner;
	}

	/**
	 * @param ports the ports to listen on, on 127.0.0.1
	 * @return the running listeners, all bound
	 */
	static ForeignListeners listen(int... ports) throws Exception {
		List<String> command = new ArrayList<>();
		String owner = "this user, another process";
		Path classes = copyOfHolderClass();
		if (isRoot() && ensureUser()) {
			command.addAll(List.of("runuser", "-u", USER, "--"));
			owner = "user " + USER;
		}
		command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				classes.toString(), PortHoldingProcess.class.getName()));
		for (int port : ports) {
			command.add("tcp-listen/127.0.0.1/" + port);
		}
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		BufferedReader output = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		String line = output.readLine();
		if (line == null || !line.startsWith("READY")) {
			String rest = line + "\n" + String.join("\n", output.lines().toList());
			process.destroyForcibly();
			throw new IllegalStateException(
					"the foreign listeners on " + java.util.Arrays.toString(ports) + " did not start: " + rest);
		}
		return new ForeignListeners(process, owner);
	}

	/**
	 * @return who owns the listeners, for assertion messages
	 */
	String owner() {
		return this.owner;
	}

	@Override
	public void close() throws Exception {
		this.process.getOutputStream().close();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

	private static boolean isRoot() throws IOException, InterruptedException {
		return "0".equals(run("id", "-u").trim());
	}

	private static synchronized boolean ensureUser() throws IOException, InterruptedException {
		if (exitCode("id", "-u", USER) == 0) {
			return true;
		}
		exitCode("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER);
		return exitCode("id", "-u", USER) == 0;
	}

	// The class file, readable by anyone (the other user cannot read the build
	// directory's parents).
	private static Path copyOfHolderClass() throws IOException, URISyntaxException {
		String file = PortHoldingProcess.class.getName().replace('.', '/') + ".class";
		Path root = Files.createTempDirectory("prh5-classes");
		Path target = root.resolve(file);
		Files.createDirectories(target.getParent());
		try (var in = PortHoldingProcess.class.getClassLoader().getResourceAsStream(file)) {
			assertThat(in).as(file).isNotNull();
			Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
		}
		for (Path path = target; path.startsWith(root); path = path.getParent()) {
			Files.setPosixFilePermissions(path,
					PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
		}
		return root;
	}

	private static String run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor(30, TimeUnit.SECONDS);
		return out;
	}

	private static int exitCode(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
	}

}
