package dev.portreservation.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;

/**
 * Where a user's runtime-block locks ({@link BlockLocks}) and holder records
 * ({@link HolderRegistry}) live. The place depends on the effective uid alone, never on
 * the environment, so every process of a user (started from a login shell, cron, a
 * systemd service, {@code su}, {@code docker exec}) finds the same locks:
 * <ul>
 * <li><b>root</b>: {@code /run/portreservation/runtime}. Only root can create anything in
 * {@code /run}, so no other user can take the name first.</li>
 * <li><b>every other user</b> (and root where {@code /run} is missing or not root's
 * alone): the <em>runtime directories</em> of the user in the sticky {@code /tmp}:
 * {@code /tmp/portreservation-<uid>} and its step-arounds
 * {@code /tmp/portreservation-<uid>.<n>}. An entry with one of those names is the user's
 * when it is a real directory (not a symbolic link) owned by the user; anything else
 * (another user's directory, a link, a plain file) is stepped around, never followed nor
 * written into. When the user has none, the first free name is created {@code 0700}.
 * <em>Every</em> directory of the user is used: a claim locks its ports in each of them.
 * Others cannot remove or rename a user's entry in a sticky directory, so the set of a
 * user's directories only grows; of two processes, the one that listed them later sees
 * every directory the earlier one locks in, so they always share one. The list is made
 * once per JVM.</li>
 * </ul>
 * A directory of the user that group or others may write is refused (only the user could
 * have made it so; someone else could then have planted files in it): the claim fails
 * naming it and the fix. The system property {@value #PROPERTY} of earlier versions is
 * ignored: a process that used it would not see the others' locks.
 */
final class RuntimeDirectory {

	/**
	 * The system property that used to move the runtime directory; now ignored (a process
	 * using it would not see the other processes' claims).
	 */
	static final String PROPERTY = "portreservation.linux.runtime-directory";

	static final Path RUN = Path.of("/run");

	static final Path TMP = Path.of("/tmp");

	static final String PREFIX = "portreservation-";

	/** How often a directory is created again after another process took its name. */
	private static final int CREATE_ATTEMPTS = 64;

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

	private static volatile List<Path> prepared;

	private RuntimeDirectory() {
	}

	/**
	 * @return this user's runtime directories (at least one), the first one for this
	 * process's holder record; created when missing, checked, and remembered for the life
	 * of the JVM
	 * @throws PortReservationException {@code ACCESS_DENIED} naming the path and the fix
	 * when a directory of this user is unsafe, {@code SYSTEM_ERROR} when none can be
	 * created
	 */
	static List<Path> prepare() {
		List<Path> directories = prepared;
		if (directories == null) {
			synchronized (RuntimeDirectory.class) {
				directories = prepared;
				if (directories == null) {
					directories = prepare(Uids.effective(), RUN, TMP);
					prepared = directories;
				}
			}
		}
		return directories;
	}

	/**
	 * The rule, for a given uid and places (tests use directories of their own).
	 * @param uid the effective uid
	 * @param run stands for {@code /run}
	 * @param tmp stands for {@code /tmp}
	 * @return the user's runtime directories, created when missing
	 */
	static List<Path> prepare(long uid, Path run, Path tmp) {
		if (uid == 0 && ownedByRootAlone(run)) {
			Path parent = run.resolve("portreservation");
			Path runtime = parent.resolve("runtime");
			createOwnerOnly(parent, uid);
			createOwnerOnly(runtime, uid);
			return List.of(runtime);
		}
		requireStickyOrPrivate(tmp);
		for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
			Listing listing = list(uid, tmp);
			if (!listing.ours().isEmpty()) {
				return listing.ours();
			}
			// Made, or taken by someone between the listing and the creation: list again.
			createUnlessPresent(tmp.resolve(name(uid, listing.firstFree())));
		}
		throw cannotCreate(tmp.resolve(name(uid, 0)),
				new IOException("another process took every name tried, " + CREATE_ATTEMPTS + " times"));
	}

	/**
	 * The directories where a reader looks for a user's records and locks; creates
	 * nothing.
	 * @param uid a uid
	 * @return its runtime directories that exist, in the order of {@link #prepare()}
	 * (unchecked: the reader checks them)
	 */
	static List<Path> existing(long uid) {
		List<Path> directories = new ArrayList<>();
		if (uid == 0 && ownedByRootAlone(RUN)) {
			directories.add(RUN.resolve("portreservation").resolve("runtime"));
		}
		try {
			directories.addAll(named(uid, TMP).values());
		}
		catch (PortReservationException ex) {
			// /tmp not listable: nothing to read there.
		}
		return directories;
	}

	/**
	 * @return every runtime directory in {@code /tmp}, by the uid its name carries
	 */
	static TreeMap<Long, List<Path>> everyUsersInTmp() {
		TreeMap<Long, List<Path>> byUid = new TreeMap<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(TMP, PREFIX + "*")) {
			for (Path entry : entries) {
				Matcher name = NAME.matcher(entry.getFileName().toString());
				if (name.matches()) {
					byUid.computeIfAbsent(Long.parseLong(name.group(1)), (uid) -> new ArrayList<>()).add(entry);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// /tmp not listable: nothing to read there.
		}
		return byUid;
	}

	private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d{1,10})(?:\\.([1-9]\\d{0,8}))?");

	private static String name(long uid, int index) {
		return PREFIX + uid + ((index == 0) ? "" : "." + index);
	}

	/** The user's entries in tmp by their index (0 for the plain name). */
	private static TreeMap<Integer, Path> named(long uid, Path tmp) {
		TreeMap<Integer, Path> named = new TreeMap<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp, PREFIX + uid + "*")) {
			for (Path entry : entries) {
				Matcher name = NAME.matcher(entry.getFileName().toString());
				if (name.matches() && Long.parseLong(name.group(1)) == uid) {
					named.put((name.group(2) != null) ? Integer.parseInt(name.group(2)) : 0, entry);
				}
			}
		}
		catch (IOException ex) {
			throw cannotCreate(tmp.resolve(name(uid, 0)), ex);
		}
		return named;
	}

	private static Listing list(long uid, Path tmp) {
		List<Path> ours = new ArrayList<>();
		TreeMap<Integer, Path> named = named(uid, tmp);
		for (Path entry : named.values()) {
			TrustedDirectory.Distrust distrust = distrust(entry, uid);
			if (distrust == null) {
				ours.add(entry);
			}
			else if (distrust.kind() == TrustedDirectory.Kind.WRITABLE_BY_OTHERS) {
				throw unsafe(entry, distrust.why());
			}
			// Otherwise it is not ours (another user's, a link, a file): stepped around.
		}
		int firstFree = 0;
		while (named.containsKey(firstFree)) {
			firstFree++;
		}
		return new Listing(List.copyOf(ours), firstFree);
	}

	private record Listing(List<Path> ours, int firstFree) {
	}

	/**
	 * @param directory a directory
	 * @param uid the user it must belong to
	 * @return what makes it not the user's own safe directory, or {@code null}
	 */
	static String problem(Path directory, long uid) {
		TrustedDirectory.Distrust distrust = distrust(directory, uid);
		return (distrust != null) ? distrust.why() : null;
	}

	private static TrustedDirectory.Distrust distrust(Path directory, long uid) {
		try {
			return TrustedDirectory.check(directory, uid, TrustedDirectory.Owner.THE_USER);
		}
		catch (IOException ex) {
			return new TrustedDirectory.Distrust(TrustedDirectory.Kind.UNREADABLE,
					"it cannot be read (" + ex.getMessage() + ")");
		}
	}

	private static boolean ownedByRootAlone(Path directory) {
		return problem(directory, 0) == null;
	}

	/**
	 * A world-writable parent is safe only with the sticky bit: without it anyone could
	 * rename our directory away and put another in its place.
	 */
	private static void requireStickyOrPrivate(Path tmp) {
		TrustedDirectory.Distrust distrust = TrustedDirectory.checkParent(tmp, Uids.effective(),
				(ex) -> cannotCreate(tmp, ex));
		if (distrust != null) {
			throw unsafe(tmp, distrust.why() + ", so another user could replace a directory in it");
		}
	}

	private static void createOwnerOnly(Path directory, long uid) {
		// One that was there already is checked below, like one we made.
		createUnlessPresent(directory);
		String problem = problem(directory, uid);
		if (problem != null) {
			throw unsafe(directory, problem);
		}
	}

	/**
	 * Creates an owner-only directory; one already there (whoever made it) is left as it
	 * is, for the caller to check or step around.
	 */
	private static void createUnlessPresent(Path directory) {
		try {
			Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
			ownerOnly(directory);
		}
		catch (FileAlreadyExistsException ex) {
			// The caller decides whether to trust it.
		}
		catch (IOException ex) {
			throw cannotCreate(directory, ex);
		}
	}

	/** The mode given at creation is filtered by the umask; set it outright. */
	private static void ownerOnly(Path directory) throws IOException {
		Files.getFileAttributeView(directory, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
			.setPermissions(OWNER_ONLY);
	}

	private static PortReservationException cannotCreate(Path directory, IOException ex) {
		return PortReservationException
			.builder(Reason.SYSTEM_ERROR,
					"Cannot create the port reservation runtime directory " + directory + " (" + ex.getMessage()
							+ "); make its parent writable")
			.problem(Problem.UNSAFE_RUNTIME_DIRECTORY)
			.path(directory)
			.cause(ex)
			.build();
	}

	private static PortReservationException unsafe(Path directory, String problem) {
		return PortReservationException
			.builder(Reason.ACCESS_DENIED,
					"Refusing the port reservation runtime directory " + directory + ": " + problem
							+ ". Only this user (or root) can have made it so: make it a directory of this user "
							+ "with mode 0700 (chmod 700), or remove it when no process of this user uses it")
			.problem(Problem.UNSAFE_RUNTIME_DIRECTORY)
			.path(directory)
			.build();
	}

}
