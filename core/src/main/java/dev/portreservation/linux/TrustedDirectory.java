package dev.portreservation.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The one rule for "is this directory ours and safe", with its parameters: the uid that
 * must own it and whether root may own it instead. A directory the backend keeps files in
 * (the state directory, a runtime directory, a registry directory another user's records
 * are read from) is trusted when it is a real directory (a symbolic link is not
 * followed), owned as the policy says, and not writable by group or others; each of its
 * parents, when it is one the backend creates itself, is a directory owned by root or by
 * that uid and, if group or others may write it, has the sticky bit (as {@code /tmp}
 * does), so that no other user can rename the directory away and put another in its
 * place. A file the backend reads from such a directory is trusted when it is a regular
 * file (a link is not followed), owned by that uid or root, and not writable by group or
 * others. Mode, type and owner come from one {@code lstat}, so they describe the same
 * file.
 */
final class TrustedDirectory {

	private static final int FILE_TYPE = 0170000;

	private static final int DIRECTORY = 0040000;

	private static final int REGULAR_FILE = 0100000;

	private static final int SYMBOLIC_LINK = 0120000;

	private static final int GROUP_OR_OTHER_WRITE = 0022;

	private static final int STICKY = 01000;

	private static final long ROOT = 0;

	private TrustedDirectory() {
	}

	/**
	 * Who may own a trusted directory.
	 */
	enum Owner {

		/** Exactly the given uid. */
		THE_USER,

		/** The given uid, or root. */
		THE_USER_OR_ROOT

	}

	/**
	 * Why a directory is not trusted.
	 */
	enum Kind {

		/**
		 * Its attributes cannot be read (for callers that step around such a directory
		 * rather than fail).
		 */
		UNREADABLE,

		/** It is a symbolic link (never followed). */
		SYMBOLIC_LINK,

		/** It is no directory. */
		NOT_A_DIRECTORY,

		/** It is no regular file (for a file). */
		NOT_A_REGULAR_FILE,

		/** Someone the policy does not allow owns it. */
		FOREIGN_OWNER,

		/** Group or others may write it (for a parent: without the sticky bit). */
		WRITABLE_BY_OTHERS

	}

	/**
	 * A directory that is not trusted, and why.
	 *
	 * @param kind the kind of problem
	 * @param why what was found, for people: "it is ..."
	 */
	record Distrust(Kind kind, String why) {

		@Override
		public String toString() {
			return this.why;
		}

	}

	/**
	 * The rule for a directory the backend keeps files in.
	 * @param directory the directory
	 * @param uid the user who must own it
	 * @param owner whether root may own it instead
	 * @return {@code null} when it is trusted, else why not
	 * @throws IOException when its attributes cannot be read (it does not exist, say)
	 */
	static Distrust check(Path directory, long uid, Owner owner) throws IOException {
		return check(directory, DIRECTORY, uid, owner,
				"uid " + uid + ((owner == Owner.THE_USER_OR_ROOT) ? " or root" : ""));
	}

	/**
	 * {@link #check(Path, long, Owner)}, failing as the caller does when the attributes
	 * cannot be read.
	 * @param directory the directory
	 * @param uid the user who must own it
	 * @param owner whether root may own it instead
	 * @param unreadable the caller's failure for attributes that cannot be read
	 * @return {@code null} when it is trusted, else why not
	 */
	static Distrust check(Path directory, long uid, Owner owner,
			Function<IOException, ? extends RuntimeException> unreadable) {
		try {
			return check(directory, uid, owner);
		}
		catch (IOException ex) {
			throw unreadable.apply(ex);
		}
	}

	/**
	 * The rule for a parent of a trusted directory (resolved: links in the path are the
	 * caller's to resolve first).
	 * @param parent the parent
	 * @param uid the user the trusted directory belongs to
	 * @return {@code null} when no other user can replace what is in it, else why one can
	 * @throws IOException when its attributes cannot be read
	 */
	static Distrust checkParent(Path parent, long uid) throws IOException {
		Map<String, Object> attributes = attributes(parent);
		int mode = ((Number) attributes.get("mode")).intValue();
		long actual = ((Number) attributes.get("uid")).longValue();
		if ((mode & FILE_TYPE) != DIRECTORY) {
			return new Distrust(Kind.NOT_A_DIRECTORY, "it is not a directory");
		}
		if (actual != ROOT && actual != uid) {
			return new Distrust(Kind.FOREIGN_OWNER, "it is owned by uid " + actual + ", neither root nor uid " + uid);
		}
		if ((mode & GROUP_OR_OTHER_WRITE) != 0 && (mode & STICKY) == 0) {
			return new Distrust(Kind.WRITABLE_BY_OTHERS,
					"it is writable by group or others without the sticky bit (mode " + octal(mode) + ")");
		}
		return null;
	}

	/**
	 * {@link #checkParent(Path, long)}, failing as the caller does when the attributes
	 * cannot be read.
	 * @param parent the parent
	 * @param uid the user the trusted directory belongs to
	 * @param unreadable the caller's failure for attributes that cannot be read
	 * @return {@code null} when no other user can replace what is in it, else why one can
	 */
	static Distrust checkParent(Path parent, long uid, Function<IOException, ? extends RuntimeException> unreadable) {
		try {
			return checkParent(parent, uid);
		}
		catch (IOException ex) {
			throw unreadable.apply(ex);
		}
	}

	/**
	 * The rule for a file in a trusted directory.
	 * @param file the file
	 * @param uid the user who must own it (or root)
	 * @return {@code null} when it is trusted, else why not
	 * @throws IOException when its attributes cannot be read
	 */
	static Distrust checkFile(Path file, long uid) throws IOException {
		return check(file, REGULAR_FILE, uid, Owner.THE_USER_OR_ROOT, "this user (uid " + uid + ") or root");
	}

	/**
	 * The rule of a trusted directory and of a trusted file: the type wanted (a link is
	 * never followed), the owner the policy allows, no write for group or others.
	 * @param owners who may own it, for people
	 */
	private static Distrust check(Path path, int type, long uid, Owner owner, String owners) throws IOException {
		Map<String, Object> attributes = attributes(path);
		int mode = ((Number) attributes.get("mode")).intValue();
		long actual = ((Number) attributes.get("uid")).longValue();
		if ((mode & FILE_TYPE) == SYMBOLIC_LINK) {
			return new Distrust(Kind.SYMBOLIC_LINK, "it is a symbolic link");
		}
		if ((mode & FILE_TYPE) != type) {
			return (type == DIRECTORY) ? new Distrust(Kind.NOT_A_DIRECTORY, "it is not a directory")
					: new Distrust(Kind.NOT_A_REGULAR_FILE, "it is not a regular file");
		}
		if (actual != uid && !(owner == Owner.THE_USER_OR_ROOT && actual == ROOT)) {
			return new Distrust(Kind.FOREIGN_OWNER, "it is owned by uid " + actual + ", not by " + owners);
		}
		if ((mode & GROUP_OR_OTHER_WRITE) != 0) {
			return new Distrust(Kind.WRITABLE_BY_OTHERS,
					"it is writable by group or others (mode " + octal(mode) + ")");
		}
		return null;
	}

	/** One {@code lstat}: type, mode and owner of the same file. */
	private static Map<String, Object> attributes(Path path) throws IOException {
		try {
			return Files.readAttributes(path, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
		}
		catch (UnsupportedOperationException | IllegalArgumentException ex) {
			throw new IOException("no Unix attributes for " + path + " (" + ex.getMessage() + ")", ex);
		}
	}

	private static String octal(int mode) {
		return String.format(Locale.ROOT, "%04o", mode & 07777);
	}

}
