package dev.portreservation.linux;

import dev.portreservation.test.GuardTimeouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * A real, throwaway Unix user for "another user" tests, created with {@code useradd} when
 * the tests run as root (and reused when it exists), and JDK-only programs run as that
 * user with {@code runuser}. Tests that need it are skipped with the reason where that is
 * impossible.
 */
final class OtherUser {

	/** The prefix keeps these users apart from anyone else's. */
	static final String NAME = "prh1ba";

	private OtherUser() {
	}

	/**
	 * Makes sure the user exists, or aborts the calling test saying why it cannot.
	 */
	static void ensure() throws IOException, InterruptedException {
		Assumptions.assumeTrue(run("id", "-u").trim().equals("0"),
				"another user can only be created as root (useradd); running as uid " + run("id", "-u").trim());
		Assumptions.assumeTrue(exists("runuser") && exists("useradd"), "runuser and useradd are needed");
		if (exitCode("id", "-u", NAME) != 0) {
			int created = exitCode("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", NAME);
			// Another test may have created it meanwhile (exit 9: exists).
			Assumptions.assumeTrue(created == 0 || exitCode("id", "-u", NAME) == 0, "useradd " + NAME + " failed");
		}
	}

	/**
	 * Starts a program as the other user from copies of its class files and of the JNA
	 * jar, readable by anyone.
	 * @param main the program's class; it may use nothing of ours but its own nested
	 * classes, and JNA
	 * @param args its arguments
	 * @return the started process
	 */
	static Process java(Class<?> main, String... args) throws IOException {
		Path classes = copyClassFiles(main);
		String classPath;
		try (Stream<Path> jars = Files.list(classes)) {
			classPath = classes + jars.filter((path) -> path.toString().endsWith(".jar"))
				.map((jar) -> java.io.File.pathSeparator + jar)
				.collect(java.util.stream.Collectors.joining());
		}
		List<String> command = new ArrayList<>(List.of("runuser", "-u", NAME, "--",
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath, main.getName()));
		command.addAll(List.of(args));
		return new ProcessBuilder(command).redirectErrorStream(true).start();
	}

	private static final java.util.Map<Class<?>, Path> COPIES = new java.util.concurrent.ConcurrentHashMap<>();

	private static Path copyClassFiles(Class<?> type) throws IOException {
		Path copy = COPIES.get(type);
		if (copy == null) {
			copy = copyOnce(type);
			COPIES.put(type, copy);
		}
		return copy;
	}

	private static Path copyOnce(Class<?> type) throws IOException {
		Path compiled = location(type);
		String packagePath = type.getPackageName().replace('.', '/');
		Path root = Files.createTempDirectory("prh1b-classes");
		Path target = Files.createDirectories(root.resolve(packagePath));
		try (Stream<Path> files = Files.list(compiled.resolve(packagePath))) {
			for (Path file : (Iterable<Path>) files::iterator) {
				String name = file.getFileName().toString();
				if (name.equals(type.getSimpleName() + ".class") || name.startsWith(type.getSimpleName() + "$")) {
					Files.copy(file, target.resolve(name));
				}
			}
		}
		// Readable by the other user: every directory from the temporary root down, and
		// the files.
		try (Stream<Path> all = Files.walk(root)) {
			for (Path path : (Iterable<Path>) all::iterator) {
				Files.setPosixFilePermissions(path,
						PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
			}
		}
		// JNA too, for the native sockets a program may try (the jar under the build
		// user's home is not readable).
		Path jna = location(com.sun.jna.Native.class);
		Path jnaCopy = root.resolve(jna.getFileName());
		Files.copy(jna, jnaCopy);
		Files.setPosixFilePermissions(jnaCopy, PosixFilePermissions.fromString("rw-r--r--"));
		Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
		return root;
	}

	private static Path location(Class<?> type) throws IOException {
		try {
			return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (java.net.URISyntaxException ex) {
			throw new IOException(ex);
		}
	}

	private static void delete(Path root) {
		try (Stream<Path> all = Files.walk(root)) {
			all.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// A temporary directory left behind is harmless.
		}
	}

	private static boolean exists(String command) throws IOException, InterruptedException {
		return exitCode("sh", "-c", "command -v " + command) == 0;
	}

	private static int exitCode(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		process.getInputStream().readAllBytes();
		if (!process.waitFor(GuardTimeouts.seconds(30), TimeUnit.SECONDS)) {
			process.destroyForcibly();
			return -1;
		}
		return process.exitValue();
	}

	private static String run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		process.waitFor(GuardTimeouts.seconds(30), TimeUnit.SECONDS);
		return output;
	}

}
