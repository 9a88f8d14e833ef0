package dev.portreservation.linux;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.portreservation.test.GuardTimeout;
import org.junit.jupiter.api.io.TempDir;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The holder registry as another tool reads it: worker JVMs (one of them under
 * {@code umask 000}) hold blocks, and the test reads {@code <pid>.holders} in the user's
 * runtime directory as the contract describes it.
 */
@GuardTimeout(120)
class HolderRegistryTests {

	@TempDir
	Path temporary;

	private final LinuxPortReservations backend = new LinuxPortReservations();

	@RegisterExtension
	final ClosedAfterEach closeables = new ClosedAfterEach();

	@Test
	void aLiveProcessListsItsBlocksInAnOwnerOnlyRecordWhateverItsUmask() throws Exception {
		PortBlock tcp = FreeBlocks.free(this.backend, 2);
		PortBlock udp = FreeBlocks.free(this.backend, 3);
		WorkerProcess worker = track(WorkerProcess.start("000"));
		assertThat(worker.send("hold tcp " + tcp.startPort() + " 2")).startsWith("HELD");
		Path directory = RegistryLocations.directoryOf(worker.pid() + ".holders");
		Path record = directory.resolve(worker.pid() + ".holders");
		assertThat(mode(directory)).isEqualTo("rwx------");
		assertThat(mode(record)).isEqualTo("rw-------");
		assertThat(mode(directory.resolve("tcp-netns-" + LinuxPortReservations.networkNamespaceId() + ".lock")))
			.isEqualTo("rw-------");
		Properties first = load(record);
		assertThat(first.getProperty("pid")).isEqualTo(Long.toString(worker.pid()));
		assertThat(first.getProperty("starttime")).isEqualTo(ProcessIdentity.startTime(worker.pid())).isNotBlank();
		assertThat(first.getProperty("command")).contains("java").doesNotContain("\0").hasSizeLessThanOrEqualTo(512);
		assertThat(first.getProperty("uid")).isEqualTo(Long.toString(Uids.effective()));
		assertThat(first.getProperty("block.0")).isEqualTo("tcp " + tcp.startPort() + " 2 runtime");
		assertThat(first.getProperty("block.1")).isNull();

		assertThat(worker.send("hold udp " + udp.startPort() + " 3")).startsWith("HELD");
		Properties second = load(record);
		assertThat(second.getProperty("block.0")).isEqualTo("tcp " + tcp.startPort() + " 2 runtime");
		assertThat(second.getProperty("block.1")).isEqualTo("udp " + udp.startPort() + " 3 runtime");
		assertThat(mode(record)).isEqualTo("rw-------");
		assertThat(HolderRecords.command(worker.pid(), List.of(directory), Uids.effective()))
			.isEqualTo(second.getProperty("command"));

		assertThat(worker.send("release")).isEqualTo("RELEASED");
		assertThat(record).as("a process holding nothing has no record").doesNotExist();
		assertThat(worker.send("hold tcp " + tcp.startPort() + " 2")).startsWith("HELD");
		assertThat(record).exists();
		assertThat(worker.exitNormally()).isTrue();
		assertThat(record).as("removed on a clean exit").doesNotExist();
		try (Stream<Path> files = Files.list(directory)) {
			assertThat(files.map((file) -> file.getFileName().toString())).as("no temporary file is left")
				.noneMatch((name) -> name.startsWith("." + worker.pid() + "."));
		}
	}

	@Test
	void aKilledProcessLeavesARecordThatIsNotTakenForLive() throws Exception {
		PortBlock block = FreeBlocks.free(this.backend, 2);
		WorkerProcess killed = track(WorkerProcess.start(null));
		assertThat(killed.send("hold tcp " + block.startPort() + " 2")).startsWith("HELD");
		Path directory = RegistryLocations.directoryOf(killed.pid() + ".holders");
		killed.kill();
		assertThat(directory.resolve(killed.pid() + ".holders")).as("kill -9 runs no clean-up").exists();
		assertThat(new HolderRecords(Map.of(directory, Uids.effective())).live())
			.noneMatch((record) -> record.pid() == killed.pid());

		WorkerProcess next = track(WorkerProcess.start(null));
		assertThat(next.send("hold tcp " + block.startPort() + " 2")).as("the lock died with the process")
			.startsWith("HELD");
		assertThat(directory.resolve(killed.pid() + ".holders")).as("swept by the next registering process")
			.doesNotExist();
		WorkerProcess refused = track(WorkerProcess.start(null));
		assertThat(refused.send("hold tcp " + block.endPort() + " 1")).startsWith("FAILED CONFLICT")
			.contains("pid " + next.pid() + " (")
			.doesNotContain("pid " + killed.pid() + " (");
	}

	@Test
	void aRecordWithAnotherStartTimeIsNotTakenForLive() throws Exception {
		Path directory = Files.createDirectory(this.temporary.resolve("runtime"));
		long pid = ProcessHandle.current().pid();
		Files.writeString(directory.resolve(pid + ".holders"),
				"pid=" + pid + "\nstarttime=1\ncommand=reused pid\nuid=0\nblock.0=tcp 40000 8 runtime\n");
		Files.writeString(directory.resolve("garbage.holders"), "pid=x\nblock.0=tcp forty 8 runtime\n");
		assertThat(new HolderRecords(Map.of(directory, Uids.effective())).live()).isEmpty();
		assertThat(HolderRecords.command(pid, List.of(directory), Uids.effective()))
			.as("named from /proc, not from the record")
			.doesNotContain("reused pid");
	}

	private static String mode(Path path) throws Exception {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
	}

	private static Properties load(Path record) throws Exception {
		Properties properties = new Properties();
		try (InputStream in = Files.newInputStream(record)) {
			properties.load(in);
		}
		return properties;
	}

	private <T extends AutoCloseable> T track(T closeable) {
		return this.closeables.track(closeable);
	}

}
