package dev.portreservation.linux;

import dev.portreservation.test.GuardTimeouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Throwaway Unix users for tests that need "another user": created with {@code useradd}
 * when missing (so a fresh CI machine running as root gets them), reused otherwise. Tests
 * that need one are skipped with the reason when the JVM is not root or {@code useradd}
 * is missing. Names start with {@code prh2} so they never collide with other suites'
 * users.
 */
final class OtherUsers {

	/** The attacker of the state-directory and enforcement tests. */
	static final String ATTACKER = "prh2a";

	private OtherUsers() {
	}

	/**
	 * @param name the user name
	 * @return the user's uid, after creating the user when missing
	 */
	static int ensure(String name) {
		Assumptions.assumeTrue(StateDirectory.currentUid() == 0, "needs root to create and act as another user");
		Integer uid = uidOf(name);
		if (uid == null) {
			Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/useradd")), "needs /usr/sbin/useradd");
			run("/usr/sbin/useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name);
			uid = uidOf(name);
		}
		Assumptions.assumeTrue(uid != null, "user " + name + " could not be created");
		return uid;
	}

	/**
	 * Runs {@link ForeignBinds} as the user, from a copy of its class file the user can
	 * read.
	 * @param name the user, created by {@link #ensure}
	 * @param args the arguments of {@link ForeignBinds}
	 * @return its standard output
	 */
	static List<String> foreignBinds(String name, String... args) throws Exception {
		Path classes = Files.createTempDirectory("prh2-classes");
		try {
			Path packageDirectory = classes.resolve("dev/portreservation/linux");
			Files.createDirectories(packageDirectory);
			Path source = Path.of(ForeignBinds.class.getProtectionDomain().getCodeSource().getLocation().toURI())
				.resolve("dev/portreservation/linux/ForeignBinds.class");
			Files.copy(source, packageDirectory.resolve("ForeignBinds.class"));
			for (Path path = packageDirectory; path.startsWith(classes); path = path.getParent()) {
				Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
			}
			Files.setPosixFilePermissions(packageDirectory.resolve("ForeignBinds.class"),
					PosixFilePermissions.fromString("rw-r--r--"));
			List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + name, "--regid=" + gidOf(name),
					"--clear-groups", "--", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
					classes.toString(), ForeignBinds.class.getName()));
			command.addAll(List.of(args));
			Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
			String output = new String(process.getInputStream().readAllBytes());
			if (!process.waitFor(GuardTimeouts.seconds(60), TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
			}
			return List.of(output.split("\n"));
		}
		finally {
			try (var files = Files.walk(classes)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
		}
	}

	/**
	 * Runs a main class of this build as the user, with the build's own classes (not its
	 * dependencies) on the class path, so it must need nothing but the JDK and this
	 * project's code.
	 * @param name the user, created by {@link #ensure}
	 * @param main the class to run
	 * @param args its arguments
	 * @return its standard output
	 */
	static List<String> runAs(String name, Class<?> main, String... args) throws Exception {
		List<String> classPath = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
			if (entry.endsWith("classes")) {
				classPath.add(entry);
			}
		}
		List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + name, "--regid=" + gidOf(name),
				"--clear-groups", "--", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				String.join(java.io.File.pathSeparator, classPath), main.getName()));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(GuardTimeouts.seconds(60), TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
		}
		return List.of(output.split("\n"));
	}

	private static int gidOf(String name) throws IOException {
		for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
			String[] fields = line.split(":");
			if (fields.length > 3 && fields[0].equals(name)) {
				return Integer.parseInt(fields[3]);
			}
		}
		throw new IllegalStateException("no user " + name);
	}

	private static Integer uidOf(String name) {
		try {
			for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
				String[] fields = line.split(":");
				if (fields.length > 2 && fields[0].equals(name)) {
					return Integer.parseInt(fields[2]);
				}
			}
			return null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static void run(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes());
			if (!process.waitFor(GuardTimeouts.seconds(30), TimeUnit.SECONDS) || process.exitValue() != 0) {
				// Another test JVM may have created the user at the same moment.
				Assumptions.assumeTrue(false, String.join(" ", command) + " failed: " + output);
			}
		}
		catch (IOException ex) {
			Assumptions.assumeTrue(false, String.join(" ", command) + " failed: " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			Assumptions.assumeTrue(false, "interrupted");
		}
	}

}
