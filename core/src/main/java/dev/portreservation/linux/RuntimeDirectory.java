package dev.portreservation.linux;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;

/**
 * The per-user runtime directory that holds the cross-process block locks
 * ({@link BlockLocks}) and the holder registry ({@link HolderRegistry}):
 * {@code $XDG_RUNTIME_DIR/portreservation} when {@code XDG_RUNTIME_DIR} is an absolute
 * directory owned by this user and not writable by group or others, otherwise
 * {@code /tmp/portreservation-<uid>}; the system property {@value #PROPERTY} overrides
 * both.
 * <p>
 * Everything in it decides who holds which port, so it must be ours alone: it is created
 * owner-only whatever the umask, and refused when it is a symbolic link, owned by another
 * user or writable by group or others (someone could then remove our lock files or forge
 * records).
 */
final class RuntimeDirectory {

	/**
	 * System property naming the runtime directory (tests point it at a directory of
	 * their own).
	 */
	static final String PROPERTY = "portreservation.linux.runtime-directory";

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

	private RuntimeDirectory() {
	}

	/**
	 * @return the runtime directory this process uses, created if missing and checked
	 * @throws PortReservationException {@code ACCESS_DENIED} naming the path and the fix
	 * when it is unsafe, {@code SYSTEM_ERROR} when it cannot be created
	 */
	static Path prepare() {
		return prepare(resolve(System.getProperty(PROPERTY), System.getenv()));
	}

	/**
	 * @param override the value of {@value #PROPERTY}, or {@code null}
	 * @param environment the process environment
	 * @return the directory the contract names (not created)
	 */
	static Path resolve(String override, Map<String, String> environment) {
		if (override != null && !override.isBlank()) {
			return Path.of(override);
		}
		String xdg = environment.get("XDG_RUNTIME_DIR");
		if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() && privateDirectory(Path.of(xdg))) {
			return Path.of(xdg, "portreservation");
		}
		return Path.of("/tmp", "portreservation-" + Uids.effective());
	}

	/**
	 * Creates the directory owner-only if it is missing, then checks it.
	 * @param directory the directory
	 * @return the directory
	 */
	static Path prepare(Path directory) {
		try {
			Files.createDirectory(directory);
			// The mode given at creation is filtered by the umask; set it outright.
			Files.getFileAttributeView(directory, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
				.setPermissions(OWNER_ONLY);
		}
		catch (FileAlreadyExistsException ex) {
			// Checked below, like one we made.
		}
		catch (IOException ex) {
			throw PortReservationException
				.builder(Reason.SYSTEM_ERROR,
						"Cannot create the port reservation runtime directory " + directory + " (" + ex.getMessage()
								+ "); make its parent writable or point the system property " + PROPERTY
								+ " at a directory of this user")
				.problem(Problem.UNSAFE_RUNTIME_DIRECTORY)
				.path(directory)
				.cause(ex)
				.build();
		}
		String problem = problem(directory);
		if (problem != null) {
			throw PortReservationException
				.builder(Reason.ACCESS_DENIED,
						"Refusing the port reservation runtime directory " + directory + ": " + problem
								+ ". Remove it (it holds only locks and holder records of running processes) so it "
								+ "is created again, or point the system property " + PROPERTY
								+ " at a directory owned by this user with mode 0700")
				.problem(Problem.UNSAFE_RUNTIME_DIRECTORY)
				.path(directory)
				.build();
		}
		return directory;
	}

	/**
	 * @param directory a directory
	 * @return what makes it unsafe to trust, or {@code null} when it is a real directory
	 * of this user that group and others cannot write
	 */
	static String problem(Path directory) {
		PosixFileAttributes attributes;
		try {
			attributes = Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (IOException ex) {
			return "it cannot be read (" + ex.getMessage() + ")";
		}
		if (attributes.isSymbolicLink()) {
			return "it is a symbolic link";
		}
		if (!attributes.isDirectory()) {
			return "it is not a directory";
		}
		long owner = Uids.owner(directory);
		if (owner != Uids.effective()) {
			return "it is owned by uid " + owner + ", not by this process's uid " + Uids.effective();
		}
		Set<PosixFilePermission> permissions = attributes.permissions();
		if (permissions.contains(PosixFilePermission.GROUP_WRITE)
				|| permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
			return "it is writable by group or others (mode " + PosixFilePermissions.toString(permissions) + ")";
		}
		return null;
	}

	private static boolean privateDirectory(Path directory) {
		return problem(directory) == null;
	}

}
