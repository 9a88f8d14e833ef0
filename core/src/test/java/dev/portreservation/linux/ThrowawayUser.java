package dev.portreservation.linux;

import dev.portreservation.test.GuardTimeouts;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * A real, throwaway Unix user for "another user" tests of every module: created with
 * {@code useradd} (a system user, no home, no login shell) when the tests run as root,
 * reused when it exists, so a fresh CI machine and a second run behave the same. Where no
 * user can be made (not root, no {@code useradd} or {@code setpriv}), {@link #ensure}
 * skips the calling test with the reason.
 * <p>
 * Programs run as the user through {@code setpriv}, which executes them in place: the pid
 * of the started process is the program's own, and the user has its primary group and no
 * supplementary group. Java programs run from copies of their class files the user can
 * read (the build directories' parents may not be readable by it).
 * <p>
 * Every name starts with {@code prh} so that these users never collide with anyone
 * else's; each suite keeps its own user so that suites running at the same time do not
 * see each other's sockets or files.
 */
public final class ThrowawayUser {

	/** The attacker of the state-directory, runtime-directory and enforcement tests. */
	public static final String ATTACKER = "prh2a";

	private static final Map<String, ThrowawayUser> ENSURED = new ConcurrentHashMap<>();

	private static final Map<Class<?>, String> READABLE_CLASS_PATHS = new ConcurrentHashMap<>();

	private final String name;

	private final int uid;

	private final int gid;

	private ThrowawayUser(String name, int uid, int gid) {
		this.name = name;
		this.uid = uid;
		this.gid = gid;
	}

	/**
	 * Makes sure the user exists, or skips the calling test saying why it cannot.
	 * @param name the user, created when missing
	 * @return the user
	 */
	public static ThrowawayUser ensure(String name) {
		String why = whyUnavailable(name);
		Assumptions.assumeTrue(why == null, why);
		return ENSURED.get(name);
	}

	/**
	 * For tests that fall back to another process of this user where no other user can be
	 * made.
	 * @param name the user, created when missing
	 * @return the user, or empty where it cannot be made
	 */
	public static Optional<ThrowawayUser> ifAvailable(String name) {
		return (whyUnavailable(name) != null) ? Optional.empty() : Optional.of(ENSURED.get(name));
	}

	/**
	 * Creates the user when it is missing.
	 * @return why it cannot be made, or {@code null} when it exists now (and is in
	 * {@link #ENSURED})
	 */
	private static synchronized String whyUnavailable(String name) {
		if (ENSURED.containsKey(name)) {
			return null;
		}
		try {
			if (((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() != 0) {
				return "another Unix user can only be created and switched to as root";
			}
			for (String tool : List.of("useradd", "setpriv")) {
				if (run("sh", "-c", "command -v " + tool).exitCode() != 0) {
					return tool + " is needed to create and switch to another Unix user";
				}
			}
			String why = null;
			// Another build may be creating users at the same moment: useradd then finds
			// the user (exit 9) or the password file locked (exit 10).
			for (int attempt = 0; attempt < 3 && passwdEntry(name) == null; attempt++) {
				Result added = run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name);
				why = "useradd " + name + " failed (exit " + added.exitCode() + "): " + added.output().strip();
				if (added.exitCode() == 10) {
					Thread.sleep(200);
				}
			}
			String[] entry = passwdEntry(name);
			if (entry == null) {
				return why;
			}
			ENSURED.put(name, new ThrowawayUser(name, Integer.parseInt(entry[2]), Integer.parseInt(entry[3])));
			return null;
		}
		catch (IOException | RuntimeException ex) {
			return "cannot create the user " + name + ": " + ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted while creating the user " + name;
		}
	}

	/**
	 * @return the user's name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * @return the user's uid
	 */
	public int uid() {
		return this.uid;
	}

	/**
	 * @return the user's primary group
	 */
	public int gid() {
		return this.gid;
	}

	/**
	 * @return the words that run a command as this user, put in front of it
	 */
	public List<String> prefix() {
		return List.of("setpriv", "--reuid=" + this.uid, "--regid=" + this.gid, "--clear-groups", "--");
	}

	/**
	 * @param command a command
	 * @return the command run as this user
	 */
	public ProcessBuilder command(String... command) {
		List<String> line = new ArrayList<>(prefix());
		line.addAll(List.of(command));
		return new ProcessBuilder(line);
	}

	/**
	 * A Java program as this user, from a copy of its class files (with its nested
	 * classes) and of the JNA jar, readable by anyone.
	 * @param main the program; it may use nothing but the JDK, its own nested classes and
	 * JNA
	 * @param args its arguments
	 * @return the command, not started
	 */
	public ProcessBuilder java(Class<?> main, String... args) throws IOException {
		List<String> line = new ArrayList<>(List.of(javaCommand(), "-cp", readableClassPath(main), main.getName()));
		line.addAll(List.of(args));
		return command(line.toArray(String[]::new));
	}

	/**
	 * Runs a Java program as this user (see {@link #java}) to its end.
	 * @param main the program
	 * @param args its arguments
	 * @return the lines of its standard output
	 * @throws IllegalStateException when it fails or outlasts a minute
	 */
	public List<String> runJava(Class<?> main, String... args) throws IOException, InterruptedException {
		return output(java(main, args));
	}

	/**
	 * Runs a Java program as this user to its end, with the build's own class directories
	 * (not its dependencies) on the class path: for a program that needs this project's
	 * classes.
	 * @param main the program
	 * @param args its arguments
	 * @return the lines of its standard output
	 * @throws IllegalStateException when it fails or outlasts a minute
	 */
	public List<String> runJavaOnBuildClasses(Class<?> main, String... args) throws IOException, InterruptedException {
		List<String> line = new ArrayList<>(List.of(javaCommand(), "-cp", buildClasses(), main.getName()));
		line.addAll(List.of(args));
		return output(command(line.toArray(String[]::new)));
	}

	private static List<String> output(ProcessBuilder command) throws IOException, InterruptedException {
		Process process = command.redirectError(ProcessBuilder.Redirect.INHERIT).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(GuardTimeouts.seconds(60), TimeUnit.SECONDS) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IllegalStateException(String.join(" ", command.command()) + " failed: " + output);
		}
		return List.of(output.split("\n"));
	}

	/**
	 * @param main a program whose code is its class and nested classes, the JDK and JNA
	 * @return a class path with copies of them anyone can read (made once, deleted when
	 * the JVM ends)
	 */
	public static String readableClassPath(Class<?> main) throws IOException {
		String classPath = READABLE_CLASS_PATHS.get(main);
		if (classPath == null) {
			classPath = copyReadable(main);
			READABLE_CLASS_PATHS.put(main, classPath);
		}
		return classPath;
	}

	private static String copyReadable(Class<?> main) throws IOException {
		Path root = Files.createTempDirectory("prh-classes");
		Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
		String prefix = main.getName().replace('.', '/');
		Path location = location(main);
		if (Files.isDirectory(location)) {
			try (Stream<Path> files = Files.list(location.resolve(prefix).getParent())) {
				for (Path file : (Iterable<Path>) files::iterator) {
					String name = file.getFileName().toString();
					if (name.equals(main.getSimpleName() + ".class") || name.startsWith(main.getSimpleName() + "$")) {
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
		// JNA too, for the native sockets a program may try (the jar in the build user's
		// Maven repository is not readable).
		Path jna = location(com.sun.jna.Native.class);
		Path jnaCopy = root.resolve(jna.getFileName());
		copy(Files.newInputStream(jna), jnaCopy);
		try (Stream<Path> all = Files.walk(root)) {
			for (Path path : (Iterable<Path>) all::iterator) {
				Files.setPosixFilePermissions(path,
						PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
			}
		}
		return root + java.io.File.pathSeparator + jnaCopy;
	}

	private static String buildClasses() {
		List<String> classPath = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
			if (entry.endsWith("classes")) {
				classPath.add(entry);
			}
		}
		return String.join(java.io.File.pathSeparator, classPath);
	}

	private static String javaCommand() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static Path location(Class<?> type) throws IOException {
		try {
			return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IOException(ex);
		}
	}

	private static void copy(InputStream in, Path target) throws IOException {
		Files.createDirectories(target.getParent());
		try (in) {
			Files.copy(in, target);
		}
	}

	private static void delete(Path root) {
		try (Stream<Path> all = Files.walk(root)) {
			all.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// A temporary directory left behind is harmless.
		}
	}

	private static String[] passwdEntry(String name) throws IOException {
		for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
			String[] fields = line.split(":");
			if (fields.length > 3 && fields[0].equals(name)) {
				return fields;
			}
		}
		return null;
	}

	private static Result run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(GuardTimeouts.seconds(30), TimeUnit.SECONDS)) {
			process.destroyForcibly();
			return new Result(-1, "timed out: " + output);
		}
		return new Result(process.exitValue(), output);
	}

	private record Result(int exitCode, String output) {
	}

}
