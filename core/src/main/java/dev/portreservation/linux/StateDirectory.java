package dev.portreservation.linux;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;

/**
 * The rules that make a state directory safe for a privileged process to trust, in the
 * spirit of ssh's {@code StrictModes}:
 * <ul>
 * <li>Every parent is owned by root or by this process's user, and is not writable by
 * group or others unless it has the sticky bit (as {@code /tmp}): nobody else can swap a
 * component. Parents are resolved to their real path once, so a symbolic link among them
 * is followed only while checking and never again.</li>
 * <li>The directory itself (and the per-namespace directory below it) is a real
 * directory, not a symbolic link, owned by root or this user, and not writable by group
 * or others at all.</li>
 * <li>Directories this class creates are {@code 0700} and files {@code 0600}, set
 * explicitly after creation, so the umask cannot widen them.</li>
 * <li>Files are opened with {@code O_NOFOLLOW} ({@link LinkOption#NOFOLLOW_LINKS}) and
 * must be regular files owned by root or this user.</li>
 * </ul>
 * A violation is {@link Reason#INVALID} with {@link Problem#UNSAFE_STATE_DIRECTORY}, the
 * path, and the fix.
 */
final class StateDirectory {

	static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

	static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

	private StateDirectory() {
	}

	/**
	 * Checks (and with {@code create}, makes) a directory this library keeps its state
	 * in.
	 * @param directory an absolute path
	 * @param create whether to create what is missing
	 * @return the directory's real path, to use for every later access; {@code null} when
	 * it does not exist and {@code create} is false
	 * @throws PortReservationException when a component is unsafe
	 */
	static Path secure(Path directory, boolean create) {
		Path normalized = directory.toAbsolutePath().normalize();
		Deque<Path> missing = new ArrayDeque<>();
		Path existing = normalized;
		while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
			missing.push(existing);
			existing = existing.getParent();
		}
		if (existing == null) {
			throw unsafe(normalized, "has no existing root", "use an absolute path on a mounted file system");
		}
		if (!missing.isEmpty() && !create) {
			return null;
		}
		Path real;
		if (existing.equals(normalized)) {
			// The directory exists: it must not be a link itself, and its parents are
			// checked for real.
			checkOwnDirectory(normalized);
			Path parent = normalized.getParent();
			real = (parent != null) ? checkedParents(parent).resolve(normalized.getFileName()) : normalized;
			checkOwnDirectory(real);
			return real;
		}
		real = checkedParents(existing);
		while (!missing.isEmpty()) {
			real = real.resolve(missing.pop().getFileName());
			createOwnerOnlyDirectory(real);
			checkOwnDirectory(real);
		}
		return real;
	}

	/**
	 * Checks a directory below one already secured ({@link #secure}), creating it when
	 * asked.
	 * @param directory the directory
	 * @param create whether to create it when missing
	 * @return whether it exists now
	 */
	static boolean secureChild(Path directory, boolean create) {
		if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
			if (!create) {
				return false;
			}
			createOwnerOnlyDirectory(directory);
		}
		checkOwnDirectory(directory);
		return true;
	}

	/**
	 * Opens (creating when missing) a lock file, owner-only, never through a symbolic
	 * link.
	 * @param file the lock file in a secured directory
	 * @return the channel, open for writing
	 * @throws IOException when the file cannot be opened for a reason other than a link
	 * or a foreign owner
	 */
	static FileChannel openLockFile(Path file) throws IOException {
		FileChannel channel;
		try {
			channel = FileChannel.open(file,
					Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
					ownerOnlyFile());
		}
		catch (IOException ex) {
			// O_NOFOLLOW on a link fails with ELOOP, which the JDK reports as a plain
			// IOException.
			if (Files.isSymbolicLink(file)) {
				throw unsafe(file, "is a symbolic link", "remove it; the library creates the lock file itself");
			}
			throw ex;
		}
		try {
			checkOwnFile(file);
			return channel;
		}
		catch (RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	/**
	 * Writes a file atomically: a new owner-only temporary file in the same directory,
	 * then a rename over the target (which replaces a link rather than following it).
	 * @param file the target
	 * @param content its new content
	 * @throws IOException when writing fails; the temporary file is removed
	 */
	static void writeAtomically(Path file, byte[] content) throws IOException {
		Path temporary = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
				+ Long.toHexString(System.nanoTime()));
		try {
			try (SeekableByteChannel channel = Files.newByteChannel(temporary,
					Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
					ownerOnlyFile())) {
				Files.setPosixFilePermissions(temporary, OWNER_ONLY_FILE);
				java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
			}
			Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
					java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	/**
	 * Reads a small file without following a link.
	 * @param file the file
	 * @return its bytes
	 * @throws IOException when it cannot be read
	 */
	static byte[] readNoFollow(Path file) throws IOException {
		try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
			return in.readAllBytes();
		}
	}

	/**
	 * @param file a file in a secured directory
	 * @return why the file cannot be trusted (a link, not a regular file, another user's,
	 * writable by others), or {@code null} when it can
	 * @throws IOException when its attributes cannot be read
	 */
	static String untrustedFile(Path file) throws IOException {
		TrustedDirectory.Distrust distrust = TrustedDirectory.checkFile(file, Uids.effective());
		return (distrust != null) ? distrust.why() : null;
	}

	/**
	 * @return the effective uid of this process, as {@link Uids#effective()} reads it
	 * (the one rule; the owner of {@code /proc/self} is root for a process that is not
	 * dumpable); kept for the test helpers that ask it
	 */
	static int currentUid() {
		return Math.toIntExact(Uids.effective());
	}

	private static void checkOwnFile(Path file) {
		try {
			String why = untrustedFile(file);
			if (why != null) {
				throw unsafe(file, why.replaceFirst("^it ", ""), "remove it; the library creates it owner-only");
			}
		}
		catch (IOException ex) {
			throw unsafe(file, "cannot be checked (" + ex + ")", "check that it exists and is readable");
		}
	}

	private static Path checkedParents(Path existing) {
		Path real;
		try {
			real = existing.toRealPath();
		}
		catch (IOException ex) {
			throw unsafe(existing, "cannot be resolved (" + ex + ")", "use a directory that exists");
		}
		Path component = real.getRoot();
		checkParent(component);
		for (Path name : real) {
			component = component.resolve(name);
			checkParent(component);
		}
		return real;
	}

	private static void checkParent(Path directory) {
		TrustedDirectory.Distrust distrust = TrustedDirectory.checkParent(directory, Uids.effective(),
				(ex) -> checkFailed(directory, ex));
		if (distrust == null) {
			return;
		}
		String what = is(distrust);
		throw switch (distrust.kind()) {
			case FOREIGN_OWNER -> unsafe(directory, what + ", so that user could replace the state directory",
					"choose a directory whose parents belong to root or to this user");
			case WRITABLE_BY_OTHERS ->
				unsafe(directory, what + ", so they could replace the state directory", "run 'chmod go-w " + directory
						+ "' (or 'chmod +t' on a shared directory) or choose another state directory");
			default -> unsafe(directory, what, "choose a path whose parents are directories");
		};
	}

	private static void checkOwnDirectory(Path directory) {
		TrustedDirectory.Distrust distrust = TrustedDirectory.check(directory, Uids.effective(),
				TrustedDirectory.Owner.THE_USER_OR_ROOT, (ex) -> checkFailed(directory, ex));
		if (distrust == null) {
			return;
		}
		String what = is(distrust);
		throw switch (distrust.kind()) {
			case SYMBOLIC_LINK -> unsafe(directory, what,
					"remove the link; the state directory must be a real directory (the library creates it)");
			case FOREIGN_OWNER -> unsafe(directory, what,
					"remove it (the library creates it owner-only) or choose another state directory");
			case WRITABLE_BY_OTHERS -> unsafe(directory, what,
					"run 'chmod go-w " + directory + "' or remove it (the library creates it 0700)");
			default -> unsafe(directory, what, "remove it or choose another state directory");
		};
	}

	/** "it is ..." as "is ...", after the path. */
	private static String is(TrustedDirectory.Distrust distrust) {
		return distrust.why().replaceFirst("^it ", "");
	}

	private static PortReservationException checkFailed(Path path, IOException ex) {
		if (ex instanceof NoSuchFileException) {
			return unsafe(path, "vanished while it was checked", "retry; something else is changing it");
		}
		return LinuxErrors.stateFile(null, null, null, path, "Checking " + path + " failed", ex);
	}

	private static void createOwnerOnlyDirectory(Path directory) {
		try {
			Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
			// The mode given at creation is filtered by the umask; set it outright.
			Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
		}
		catch (FileAlreadyExistsException ex) {
			// Another process made it first; the checks that follow decide whether to
			// trust it.
		}
		catch (IOException ex) {
			throw LinuxErrors.stateFile(null, null, null, directory,
					"Creating the state directory " + directory + " failed", ex);
		}
	}

	private static FileAttribute<Set<PosixFilePermission>> ownerOnlyFile() {
		return PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE);
	}

	static PortReservationException unsafe(Path path, String what, String fix) {
		return PortReservationException
			.builder(Reason.INVALID, "Refusing the state directory: " + path + " " + what + "; " + fix)
			.problem(Problem.UNSAFE_STATE_DIRECTORY)
			.path(path)
			.backend(LinuxPortReservations.NAME)
			.build();
	}

}
