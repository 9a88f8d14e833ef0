package dev.portreservation.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * The core tests' {@link SocketAttacker}, run as a throwaway Unix user ({@link #NAME},
 * created by {@link TestUsers}) for the Spring tests: it binds sockets on command and
 * keeps them open until closed. Its class files are copied out of the core test jar (or
 * directory) into a directory that user can read.
 */
public final class OtherUserSockets implements AutoCloseable {

	/** The throwaway user. */
	public static final String NAME = "prh3a";

	private static Path classes;

	private final Process process;

	private final PrintStream commands;

	private final BufferedReader answers;

	private OtherUserSockets(Process process) throws IOException {
		this.process = process;
		this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
		this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		String ready = this.answers.readLine();
		if (!"READY".equals(ready)) {
			throw new IllegalStateException("The other user's socket keeper did not start: " + ready);
		}
	}

	/**
	 * @return the other user's socket keeper (the test is skipped where no user can be
	 * made)
	 */
	public static OtherUserSockets start() throws Exception {
		Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
				"another user can only be created as root");
		TestUsers.uid(NAME);
		List<String> command = List.of("runuser", "-u", NAME, "--",
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classes().toString(),
				SocketAttacker.class.getName());
		return new OtherUserSockets(new ProcessBuilder(command).redirectErrorStream(true).start());
	}

	/**
	 * @return the other user's uid
	 */
	public static long uid() throws Exception {
		return TestUsers.uid(NAME);
	}

	/**
	 * @param kind {@code tcp} (bound only), {@code tcp-listen} or {@code udp}
	 * @param address the address
	 * @param port the port
	 * @param reuseAddress {@code SO_REUSEADDR}
	 * @param reusePort {@code SO_REUSEPORT}
	 * @return whether the other user's socket is bound (and kept)
	 */
	public boolean bind(String kind, String address, int port, boolean reuseAddress, boolean reusePort)
			throws IOException {
		return ask("bind " + kind + " " + address + " " + port + " " + reuseAddress + " " + reusePort).startsWith("OK");
	}

	/**
	 * Closes every socket kept.
	 */
	public void closeSockets() throws IOException {
		ask("close");
	}

	private String ask(String command) throws IOException {
		this.commands.println(command);
		String answer = this.answers.readLine();
		if (answer == null) {
			throw new IllegalStateException("The other user's socket keeper ended before answering " + command);
		}
		return answer;
	}

	@Override
	public void close() throws Exception {
		this.commands.println("quit");
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

	private static synchronized Path classes() throws Exception {
		if (classes != null) {
			return classes;
		}
		Path root = Files.createTempDirectory("prh3-classes");
		String prefix = SocketAttacker.class.getName().replace('.', '/');
		Path location = Path.of(SocketAttacker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		if (Files.isDirectory(location)) {
			Path packageDirectory = location.resolve(prefix).getParent();
			try (Stream<Path> files = Files.list(packageDirectory)) {
				for (Path file : (Iterable<Path>) files::iterator) {
					String name = file.getFileName().toString();
					if (name.equals("SocketAttacker.class") || name.startsWith("SocketAttacker$")) {
						copy(Files.newInputStream(file), root.resolve(prefix).resolveSibling(name));
					}
				}
			}
		}
		else {
			try (JarFile jar = new JarFile(location.toFile())) {
				Enumeration<JarEntry> entries = jar.entries();
				while (entries.hasMoreElements()) {
					JarEntry entry = entries.nextElement();
					if (entry.getName().equals(prefix + ".class") || entry.getName().startsWith(prefix + "$")) {
						copy(jar.getInputStream(entry), root.resolve(entry.getName()));
					}
				}
			}
		}
		List<Path> all = new ArrayList<>();
		try (Stream<Path> walk = Files.walk(root)) {
			walk.forEach(all::add);
		}
		for (Path path : all) {
			Files.setPosixFilePermissions(path,
					PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
		}
		classes = root;
		return root;
	}

	private static void copy(InputStream in, Path target) throws IOException {
		Files.createDirectories(target.getParent());
		try (in) {
			Files.copy(in, target);
		}
	}

}
