package dev.portreservation.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import org.junit.jupiter.api.io.TempDir;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Where the runtime directory is, and the directories it refuses: a symbolic link, one
 * writable by group or others, one owned by another user, a file. A refusal names the
 * path and the fix, and a worker JVM pointed at such a directory holds nothing.
 */
@GuardTimeout(60)
class RuntimeDirectoryTests {

	@TempDir
	Path temporary;

	@Test
	void aMissingDirectoryIsCreatedOwnerOnly() throws Exception {
		Path directory = this.temporary.resolve("runtime");
		assertThat(RuntimeDirectory.prepare(directory)).isEqualTo(directory);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
		assertThat(RuntimeDirectory.prepare(directory)).as("and accepted as it is").isEqualTo(directory);
	}

	@Test
	void unsafeDirectoriesAreRefusedNamingThePathAndTheFix() throws Exception {
		Path real = Files.createDirectory(this.temporary.resolve("real"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		assertRefused(Files.createSymbolicLink(this.temporary.resolve("link"), real), "symbolic link");
		for (String mode : new String[] { "rwxrwxrwx", "rwxrwx---", "rwx---rwx", "rwx-w----" }) {
			Path open = Files.createDirectory(this.temporary.resolve("open-" + mode.replace('-', '_')));
			Files.setPosixFilePermissions(open, PosixFilePermissions.fromString(mode));
			assertRefused(open, "writable by group or others");
		}
		assertRefused(Files.createFile(this.temporary.resolve("file")), "not a directory");
	}

	@Test
	void aDirectoryOfAnotherUserIsRefused() throws Exception {
		StrangerProbe.assumeAvailable();
		Path foreign = Files.createDirectory(this.temporary.resolve("foreign"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		Files.setOwner(foreign,
				foreign.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(StrangerProbe.USER));
		assertRefused(foreign, "owned by uid");
	}

	@Test
	void aProcessPointedAtAnUnsafeDirectoryHoldsNothing() throws Exception {
		Path open = Files.createDirectory(this.temporary.resolve("open"));
		Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
		PortBlock block = FreeBlocks.free(new LinuxPortReservations(), 1);
		try (WorkerProcess worker = WorkerProcess.start(null, "-D" + RuntimeDirectory.PROPERTY + "=" + open)) {
			assertThat(worker.send("hold tcp " + block.startPort() + " 1")).startsWith("FAILED ACCESS_DENIED")
				.contains(open.toString());
		}
		try (var files = Files.list(open)) {
			assertThat(files).as("nothing written into it").isEmpty();
		}
	}

	@Test
	void theDirectoryFollowsTheContract() throws Exception {
		Path xdg = Files.createDirectory(this.temporary.resolve("xdg"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		Path fallback = Path.of("/tmp", "portreservation-" + Uids.effective());
		assertThat(RuntimeDirectory.resolve("/somewhere/else", Map.of("XDG_RUNTIME_DIR", xdg.toString())))
			.isEqualTo(Path.of("/somewhere/else"));
		assertThat(RuntimeDirectory.resolve(null, Map.of("XDG_RUNTIME_DIR", xdg.toString())))
			.isEqualTo(xdg.resolve("portreservation"));
		assertThat(RuntimeDirectory.resolve(null, Map.of())).isEqualTo(fallback);
		assertThat(RuntimeDirectory.resolve(" ", Map.of("XDG_RUNTIME_DIR", "relative/dir"))).isEqualTo(fallback);
		assertThat(RuntimeDirectory.resolve(null, Map.of("XDG_RUNTIME_DIR", xdg.resolve("missing").toString())))
			.isEqualTo(fallback);
		Files.setPosixFilePermissions(xdg, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThat(RuntimeDirectory.resolve(null, Map.of("XDG_RUNTIME_DIR", xdg.toString())))
			.as("an XDG_RUNTIME_DIR others can write is not used")
			.isEqualTo(fallback);
	}

	private static void assertRefused(Path directory, String problem) {
		assertThatExceptionOfType(PortReservationException.class).as("%s", directory)
			.isThrownBy(() -> RuntimeDirectory.prepare(directory))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.ACCESS_DENIED);
				assertThat(ex.getMessage()).contains(directory.toString())
					.contains(problem)
					.contains(RuntimeDirectory.PROPERTY);
			});
	}

}
