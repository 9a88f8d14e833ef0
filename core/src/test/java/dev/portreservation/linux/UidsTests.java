package dev.portreservation.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one rule for "this process's uid" ({@link Uids#effective()}, which the state
 * directory's and the holder registry's checks use too): the owner of every file the
 * process creates, and of its own {@code /proc/<pid>} while it is dumpable.
 */
class UidsTests {

	@TempDir
	Path directory;

	@Test
	void theEffectiveUidOwnsWhatThisProcessCreates() throws IOException {
		Path file = Files.createFile(this.directory.resolve("made-by-this-process"));
		assertThat(Uids.effective()).isEqualTo(Uids.owner(file)).isNotNegative();
		assertThat(StateDirectory.currentUid()).isEqualTo(Uids.effective());
		assertThat(ProcessSockets.uid(ProcessHandle.current().pid())).hasValue(Uids.effective());
	}

	@Test
	void theOwnerOfALinkIsTheLinksNotItsTargets() throws IOException {
		Assumptions.assumeTrue(Uids.effective() == 0, "giving a file to another uid needs root");
		Path target = Files.createFile(this.directory.resolve("target"));
		Files.setAttribute(target, "unix:uid", 65534);
		Path link = Files.createSymbolicLink(this.directory.resolve("link"), target);
		assertThat(Uids.owner(target)).isEqualTo(65534);
		assertThat(Uids.owner(link)).isEqualTo(Uids.effective());
		assertThat(Uids.owner(this.directory.resolve("missing"))).isEqualTo(-1);
	}

}
