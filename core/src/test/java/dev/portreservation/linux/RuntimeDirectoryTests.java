package dev.portreservation.linux;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import org.junit.jupiter.api.io.TempDir;

import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The rule that places a user's runtime directories, with temporary directories standing
 * in for {@code /run} and {@code /tmp}: root's in {@code /run}, everyone else's (and
 * root's without a usable {@code /run}) in {@code /tmp}, stepping around entries that are
 * not the user's, never into them; every directory of the user is used, so the set only
 * grows; a directory of the user that others may write is refused naming the fix. The
 * attacks by a real other user are in {@link RuntimeDirectoryAttackTests}.
 */
@GuardTimeout(60)
class RuntimeDirectoryTests {

	@TempDir
	Path temporary;

	@Test
	void rootsDirectoryIsInRunCreatedOwnerOnly() throws Exception {
		Path run = Files.createDirectory(this.temporary.resolve("run"), ownerOnly());
		Path tmp = Files.createDirectory(this.temporary.resolve("tmp"), ownerOnly());
		assumeRoot();
		List<Path> directories = RuntimeDirectory.prepare(0, run, tmp);
		assertThat(directories).containsExactly(run.resolve("portreservation/runtime"));
		assertThat(mode(run.resolve("portreservation"))).isEqualTo("rwx------");
		assertThat(mode(run.resolve("portreservation/runtime"))).isEqualTo("rwx------");
		assertThat(RuntimeDirectory.prepare(0, run, tmp)).as("and the same next time").isEqualTo(directories);
		try (var entries = Files.list(tmp)) {
			assertThat(entries).as("nothing in /tmp").isEmpty();
		}
	}

	@Test
	void withoutAUsableRunRootUsesTmpLikeEveryoneElse() throws Exception {
		Path run = Files.createDirectory(this.temporary.resolve("run"));
		Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwxrwx"));
		Path tmp = Files.createDirectory(this.temporary.resolve("tmp"), ownerOnly());
		assumeRoot();
		assertThat(RuntimeDirectory.prepare(0, run, tmp)).containsExactly(tmp.resolve("portreservation-0"));
		try (var entries = Files.list(run)) {
			assertThat(entries).as("nothing written into an unsafe /run").isEmpty();
		}
	}

	@Test
	void entriesThatAreNotTheUsersAreSteppedAroundNeverEntered() throws Exception {
		Path tmp = Files.createDirectory(this.temporary.resolve("tmp"), ownerOnly());
		long uid = Uids.effective();
		Path bait = Files.createDirectory(this.temporary.resolve("bait"));
		// A link, a plain file, and (as root) a directory of another user.
		Files.createSymbolicLink(tmp.resolve("portreservation-" + uid), bait);
		Files.createFile(tmp.resolve("portreservation-" + uid + ".1"));
		int next = 2;
		if (uid == 0) {
			Path foreign = Files.createDirectory(tmp.resolve("portreservation-0.2"));
			Files.setAttribute(foreign, "unix:uid", ThrowawayUser.ensure(ThrowawayUser.ATTACKER).uid());
			next = 3;
		}
		List<Path> directories = RuntimeDirectory.prepare(uid, this.temporary.resolve("no-run"), tmp);
		assertThat(directories).containsExactly(tmp.resolve("portreservation-" + uid + "." + next));
		assertThat(mode(directories.get(0))).isEqualTo("rwx------");
		try (var entries = Files.list(bait)) {
			assertThat(entries).as("nothing written behind the link").isEmpty();
		}
	}

	@Test
	void everyDirectoryOfTheUserIsUsedSoTheSetOnlyGrows() throws Exception {
		Path tmp = Files.createDirectory(this.temporary.resolve("tmp"), ownerOnly());
		long uid = Uids.effective();
		Files.createFile(tmp.resolve("portreservation-" + uid));
		List<Path> first = RuntimeDirectory.prepare(uid, this.temporary.resolve("no-run"), tmp);
		assertThat(first).containsExactly(tmp.resolve("portreservation-" + uid + ".1"));
		// The entry that was in the way goes; a process listing now makes the plain
		// name, and still uses the first one's directory.
		Files.delete(tmp.resolve("portreservation-" + uid));
		Files.createDirectory(tmp.resolve("portreservation-" + uid), ownerOnly());
		assertThat(RuntimeDirectory.prepare(uid, this.temporary.resolve("no-run"), tmp))
			.containsExactly(tmp.resolve("portreservation-" + uid), tmp.resolve("portreservation-" + uid + ".1"));
	}

	@Test
	void aDirectoryOfTheUserThatOthersMayWriteIsRefusedNamingTheFix() throws Exception {
		Path tmp = Files.createDirectory(this.temporary.resolve("tmp"), ownerOnly());
		long uid = Uids.effective();
		Path open = Files.createDirectory(tmp.resolve("portreservation-" + uid + ".4"));
		Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> RuntimeDirectory.prepare(uid, this.temporary.resolve("no-run"), tmp))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.ACCESS_DENIED);
				assertThat(ex.getMessage()).contains(open.toString())
					.contains("writable by group or others")
					.contains("chmod 700");
			});
	}

	@Test
	void aWorldWritableTmpWithoutTheStickyBitIsRefused() throws Exception {
		Path tmp = Files.createDirectory(this.temporary.resolve("tmp"));
		Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> RuntimeDirectory.prepare(Uids.effective(), this.temporary.resolve("no-run"), tmp))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("sticky bit"));
	}

	private static void assumeRoot() {
		org.junit.jupiter.api.Assumptions.assumeTrue(Uids.effective() == 0, "root's rule");
	}

	private static java.nio.file.attribute.FileAttribute<?> ownerOnly() {
		return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
	}

	private static String mode(Path path) throws Exception {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
	}

}
