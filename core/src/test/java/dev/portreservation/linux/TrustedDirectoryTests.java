package dev.portreservation.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.portreservation.linux.TrustedDirectory.Distrust;
import dev.portreservation.linux.TrustedDirectory.Kind;
import dev.portreservation.linux.TrustedDirectory.Owner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The one directory-trust rule ({@link TrustedDirectory}) on real directories: this
 * user's, another real Unix user's (a throwaway user, {@link ThrowawayUser}), root's,
 * symbolic links, group- and world-writable directories and parents, and a sticky
 * {@code /tmp}-like parent. The state directory, the runtime directories and the holder
 * registry reader all ask this rule.
 */
class TrustedDirectoryTests {

	@TempDir
	Path temporary;

	private final long self = Uids.effective();

	@Test
	void anOwnerOnlyDirectoryOfTheUserIsTrustedUnderEveryPolicy() throws IOException {
		Path own = directory("own", "rwx------");
		assertThat(TrustedDirectory.check(own, this.self, Owner.THE_USER)).isNull();
		assertThat(TrustedDirectory.check(own, this.self, Owner.THE_USER_OR_ROOT)).isNull();
		assertThat(TrustedDirectory.checkParent(own, this.self)).isNull();
	}

	@Test
	void anotherRealUsersDirectoryIsTheirsNotOurs() throws Exception {
		ThrowawayUser.ensure(Attacker.USER);
		long other = otherUid();
		Path theirs = directory("theirs", "rwx------");
		Files.setAttribute(theirs, "unix:uid", (int) other);
		assertThat(kind(TrustedDirectory.check(theirs, this.self, Owner.THE_USER))).isEqualTo(Kind.FOREIGN_OWNER);
		assertThat(kind(TrustedDirectory.check(theirs, this.self, Owner.THE_USER_OR_ROOT)))
			.isEqualTo(Kind.FOREIGN_OWNER);
		assertThat(TrustedDirectory.check(theirs, this.self, Owner.THE_USER).why()).contains("uid " + other);
		// Theirs for a reader of their records.
		assertThat(TrustedDirectory.check(theirs, other, Owner.THE_USER)).isNull();
		// As a parent, a directory of another user lets them replace what is in it.
		assertThat(kind(TrustedDirectory.checkParent(theirs, this.self))).isEqualTo(Kind.FOREIGN_OWNER);
	}

	@Test
	void rootsDirectoryIsTrustedForAnotherUserOnlyWhenThePolicySaysRootMay() throws Exception {
		ThrowawayUser.ensure(Attacker.USER);
		long other = otherUid();
		Path roots = directory("roots", "rwx------");
		Files.setAttribute(roots, "unix:uid", 0);
		assertThat(kind(TrustedDirectory.check(roots, other, Owner.THE_USER))).isEqualTo(Kind.FOREIGN_OWNER);
		assertThat(TrustedDirectory.check(roots, other, Owner.THE_USER_OR_ROOT)).isNull();
		assertThat(TrustedDirectory.checkParent(roots, other)).isNull();
	}

	@Test
	void aSymbolicLinkIsNeverFollowed() throws IOException {
		Path target = directory("target", "rwx------");
		Path link = Files.createSymbolicLink(this.temporary.resolve("link"), target);
		for (Owner owner : Owner.values()) {
			assertThat(kind(TrustedDirectory.check(link, this.self, owner))).isEqualTo(Kind.SYMBOLIC_LINK);
		}
		// A parent is resolved by its caller first; a link left in place is no directory.
		assertThat(kind(TrustedDirectory.checkParent(link, this.self))).isEqualTo(Kind.NOT_A_DIRECTORY);
	}

	@Test
	void aDirectoryOthersMayWriteIsNotTrustedEvenWithTheStickyBit() throws IOException {
		for (String mode : new String[] { "rwxrwx---", "rwx---rwx", "rwxrwxrwx" }) {
			Path open = directory("open-" + mode, mode);
			assertThat(kind(TrustedDirectory.check(open, this.self, Owner.THE_USER))).as(mode)
				.isEqualTo(Kind.WRITABLE_BY_OTHERS);
		}
		Path sticky = directory("sticky", "rwxrwxrwx");
		Files.setAttribute(sticky, "unix:mode", 01777);
		assertThat(kind(TrustedDirectory.check(sticky, this.self, Owner.THE_USER))).isEqualTo(Kind.WRITABLE_BY_OTHERS);
	}

	@Test
	void aParentOthersMayWriteIsSafeOnlyWithTheStickyBitAsTmpHasIt() throws IOException {
		for (String mode : new String[] { "rwxrwxr-x", "rwxr-xrwx", "rwxrwxrwx" }) {
			Path open = directory("parent-" + mode, mode);
			assertThat(kind(TrustedDirectory.checkParent(open, this.self))).as(mode).isEqualTo(Kind.WRITABLE_BY_OTHERS);
		}
		Path sticky = directory("sticky-parent", "rwxrwxrwx");
		Files.setAttribute(sticky, "unix:mode", 01777);
		assertThat(TrustedDirectory.checkParent(sticky, this.self)).isNull();
		int tmpMode = (Integer) Files.getAttribute(Path.of("/tmp"), "unix:mode");
		if ((tmpMode & 01000) != 0) {
			assertThat(TrustedDirectory.checkParent(Path.of("/tmp"), this.self)).isNull();
		}
	}

	@Test
	void aFileIsNoDirectoryAndAMissingOneCannotBeChecked() throws IOException {
		Path file = Files.writeString(this.temporary.resolve("file"), "x");
		assertThat(kind(TrustedDirectory.check(file, this.self, Owner.THE_USER))).isEqualTo(Kind.NOT_A_DIRECTORY);
		assertThat(kind(TrustedDirectory.checkParent(file, this.self))).isEqualTo(Kind.NOT_A_DIRECTORY);
		assertThatExceptionOfType(NoSuchFileException.class)
			.isThrownBy(() -> TrustedDirectory.check(this.temporary.resolve("missing"), this.self, Owner.THE_USER));
	}

	@Test
	void aFileIsTrustedOnlyAsARegularFileOfTheUserOrRootThatOthersCannotWrite() throws Exception {
		ThrowawayUser.ensure(Attacker.USER);
		long other = otherUid();
		Path own = file("own", "rw-------");
		assertThat(TrustedDirectory.checkFile(own, this.self)).isNull();
		Path roots = file("roots", "rw-------");
		Files.setAttribute(roots, "unix:uid", 0);
		assertThat(TrustedDirectory.checkFile(roots, other)).as("root's file, for another user").isNull();
		Path theirs = file("theirs", "rw-------");
		Files.setAttribute(theirs, "unix:uid", (int) other);
		assertThat(TrustedDirectory.checkFile(theirs, this.self).why()).contains("uid " + other);
		assertThat(kind(TrustedDirectory.checkFile(theirs, this.self))).isEqualTo(Kind.FOREIGN_OWNER);
		for (String mode : new String[] { "rw-rw----", "rw----rw-" }) {
			assertThat(kind(TrustedDirectory.checkFile(file("open-" + mode, mode), this.self))).as(mode)
				.isEqualTo(Kind.WRITABLE_BY_OTHERS);
		}
		Path link = Files.createSymbolicLink(this.temporary.resolve("link"), own);
		assertThat(kind(TrustedDirectory.checkFile(link, this.self))).isEqualTo(Kind.SYMBOLIC_LINK);
		assertThat(kind(TrustedDirectory.checkFile(directory("directory", "rw-------"), this.self)))
			.isEqualTo(Kind.NOT_A_REGULAR_FILE);
	}

	private Path file(String name, String mode) throws IOException {
		Path file = Files.writeString(this.temporary.resolve(name), "x");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
		return file;
	}

	private Path directory(String name, String mode) throws IOException {
		Path directory = Files.createDirectory(this.temporary.resolve(name));
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(mode));
		return directory;
	}

	private static Kind kind(Distrust distrust) {
		assertThat(distrust).isNotNull();
		return distrust.kind();
	}

	private static long otherUid() throws IOException, InterruptedException {
		Process id = new ProcessBuilder("id", "-u", Attacker.USER).start();
		String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
		id.waitFor();
		return Long.parseLong(uid);
	}

}
