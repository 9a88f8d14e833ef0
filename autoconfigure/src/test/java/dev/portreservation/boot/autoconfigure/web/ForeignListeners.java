package dev.portreservation.boot.autoconfigure.web;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.portreservation.linux.PortHoldingProcess;
import dev.portreservation.linux.ThrowawayUser;

/**
 * Listeners of another program on ports next to the application's: a separate JVM
 * ({@link PortHoldingProcess}, JDK only) that listens on 127.0.0.1, run as another real
 * Unix user (a {@link ThrowawayUser}) when the tests run as root, otherwise as this user
 * in its own process. Closed by closing its input.
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
		Optional<ThrowawayUser> user = ThrowawayUser.ifAvailable(USER);
		if (user.isPresent()) {
			command.addAll(user.get().prefix());
			owner = "user " + USER;
		}
		command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				ThrowawayUser.readableClassPath(PortHoldingProcess.class), PortHoldingProcess.class.getName()));
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

}
