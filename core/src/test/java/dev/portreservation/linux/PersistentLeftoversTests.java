package dev.portreservation.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import dev.portreservation.core.PersistentDeletion;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a killed run leaves of a persistent block, with an ordinary file standing in for
 * {@code ip_local_reserved_ports} (the real kernel:
 * {@link PersistentLeftoversInNetnsTests}): the next run that looks the block up takes
 * the dead creator's place, so a run that deletes the blocks it created on shutdown
 * cleans it up; a live creator keeps its place; and a delete says what it did, so that
 * nobody logs "deleted" for an entry that stays.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PersistentLeftoversTests {

	private static final PortBlock BLOCK = new PortBlock(40000, 8);

	@RegisterExtension
	final StandInSysctl sysctl = new StandInSysctl();

	@Test
	void theNextRunTakesTheKilledCreatorsPlaceAndItsDeleteCleansUp() throws Exception {
		Process creator = lookupOrCreateInAnotherProcess();
		BufferedReader answer = new BufferedReader(
				new InputStreamReader(creator.getInputStream(), StandardCharsets.UTF_8));
		assertThat(answer.readLine()).isEqualTo("ready");
		assertThat(answer.readLine()).startsWith("true ");
		try (PortReservation whileAlive = this.sysctl.backend().lookupPersistent(Protocol.TCP, BLOCK).orElseThrow()) {
			assertThat(whileAlive.createdByThisProcess()).as("the creator lives").isFalse();
		}
		creator.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		assertThat(Files.readString(this.sysctl.file()).strip()).as("kill -9 deletes nothing").isEqualTo("40000-40007");

		try (PortReservation next = this.sysctl.backend().lookupOrCreatePersistent(Protocol.TCP, BLOCK)) {
			assertThat(next.createdByThisProcess()).as("the next run after the creator was killed").isTrue();
		}
		assertThat(Files.readString(record())).contains("pid=" + ProcessHandle.current().pid() + "\n");
		assertThat(this.sysctl.backend().deletePersistentReporting(Protocol.TCP, BLOCK))
			.isEqualTo(PersistentDeletion.RELEASED);
		assertThat(Files.readString(this.sysctl.file())).isEqualTo("\n");
	}

	@Test
	void aDeleteSaysWhatItDidToTheReservation() throws Exception {
		Files.writeString(this.sysctl.file(), "40000-40007\n");
		this.sysctl.backend().createPersistent(Protocol.TCP, BLOCK).close();
		PersistentDeletion adopted = this.sysctl.backend().deletePersistentReporting(Protocol.TCP, BLOCK);
		assertThat(adopted).isEqualTo(PersistentDeletion.KEPT_ADMINISTRATORS_RESERVATION);
		assertThat(adopted.describe(Protocol.TCP, BLOCK)).doesNotContain("Deleted")
			.contains("TCP block 40000-40007")
			.contains("stay reserved");
		assertThat(Files.readString(this.sysctl.file()).strip()).isEqualTo("40000-40007");

		Files.writeString(this.sysctl.file(), "\n");
		this.sysctl.backend().createPersistent(Protocol.TCP, BLOCK).close();
		this.sysctl.backend().createPersistent(Protocol.UDP, BLOCK).close();
		PersistentDeletion shared = this.sysctl.backend().deletePersistentReporting(Protocol.UDP, BLOCK);
		assertThat(shared).isEqualTo(PersistentDeletion.KEPT_FOR_OTHER_PROTOCOL);
		assertThat(shared.describe(Protocol.UDP, BLOCK)).contains("TCP block of the same ports");
		assertThat(this.sysctl.backend().deletePersistentReporting(Protocol.TCP, BLOCK))
			.isEqualTo(PersistentDeletion.RELEASED);
		assertThat(PersistentDeletion.RELEASED.describe(Protocol.TCP, BLOCK)).isEqualTo(
				"Deleted the persistent TCP block 40000-40007; the operating system no longer reserves its ports");
		assertThat(Files.readString(this.sysctl.file())).isEqualTo("\n");
	}

	private Process lookupOrCreateInAnotherProcess() throws IOException {
		Path start = Files.writeString(this.sysctl.directory().resolve("go"), "");
		return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), LookupOrCreateProcess.class.getName(),
				this.sysctl.file().toString(), this.sysctl.stateDirectory().toString(),
				BLOCK.startPort() + "-" + BLOCK.endPort(), start.toString())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
	}

	private Path record() {
		return this.sysctl.backend().stateDirectory().resolve("tcp-40000-40007.properties");
	}

}
