package dev.portreservation.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.portreservation.test.GuardTimeout;
import dev.portreservation.test.GuardTimeouts;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The Linux holder look-up: the holder registry is believed only when directory, file,
 * record and live process agree (so nobody can make another user's process appear to hold
 * ports), and another user's sockets and records are named to root.
 */
@EnabledOnOs(OS.LINUX)
@GuardTimeout(60)
class LinuxPortHoldersTests {

	private static final String OTHER_USER = "prh5aa";

	private static final long SELF = ProcessHandle.current().pid();

	@TempDir
	Path temporary;

	@RegisterExtension
	final ClosedAfterEach closed = new ClosedAfterEach();

	@Test
	void aLiveRecordNamesItsProcessOnEveryPortOfEachBlockAndNowhereElse() throws IOException {
		Path registry = this.temporary.resolve("registry");
		long uid = HolderRegistryFiles.ownUid();
		HolderRegistryFiles.write(registry, SELF, uid, "java -jar app.jar", "tcp 40000 3 runtime",
				"udp 41000 2 persistent");
		LinuxPortHolders holders = new LinuxPortHolders(new HolderRecords(Map.of(registry, uid)));
		for (int port = 40000; port <= 40002; port++) {
			assertThat(holders.find(Protocol.TCP, port)).filteredOn((holder) -> holder.pid() == SELF)
				.singleElement()
				.satisfies((holder) -> {
					assertThat(holder.kind()).isEqualTo(PortHolder.Kind.RUNTIME_BLOCK);
					assertThat(holder.block()).isEqualTo(new PortBlock(40000, 3));
					// The live process's whole command line, not the record's bounded
					// copy.
					assertThat(holder.command()).isEqualTo(LinuxProcesses.commandLine(SELF).orElseThrow());
					assertThat(holder.uid()).isEqualTo(uid);
				});
		}
		assertThat(holders.find(Protocol.UDP, 41001)).filteredOn((holder) -> holder.pid() == SELF)
			.extracting(PortHolder::kind)
			.containsExactly(PortHolder.Kind.PERSISTENT_BLOCK);
		assertThat(holders.find(Protocol.TCP, 39999)).noneMatch((holder) -> holder.pid() == SELF);
		assertThat(holders.find(Protocol.TCP, 40003)).noneMatch((holder) -> holder.pid() == SELF);
		assertThat(holders.find(Protocol.UDP, 40000)).noneMatch((holder) -> holder.pid() == SELF);
	}

	@Test
	void recordsThatDoNotAgreeWithTheProcessOrTheirFileAreSkipped() throws Exception {
		long uid = HolderRegistryFiles.ownUid();
		long start = HolderRegistryFiles.startTime(SELF);
		String blocks = HolderRegistryFiles.blockLines("tcp 40000 1 runtime");
		Process exited = new ProcessBuilder("true").start();
		exited.waitFor(GuardTimeouts.seconds(10), TimeUnit.SECONDS);
		Map<String, String> bad = Map.of("an earlier process with the same pid", record(SELF, start + 1, uid) + blocks,
				"a pid other than the file's", record(SELF + 1, start, uid) + blocks,
				"another uid than the directory's", record(SELF, start, uid + 1) + blocks, "a process that has exited",
				record(exited.pid(), start, uid) + blocks, "a block line that does not parse",
				record(SELF, start, uid) + "block.0=tcp 40000 runtime\n", "no start time",
				"pid=" + SELF + "\nuid=" + uid + "\n" + blocks);
		for (Map.Entry<String, String> entry : bad.entrySet()) {
			Path registry = Files.createDirectories(this.temporary.resolve("bad-" + entry.getKey().hashCode()));
			Files.setPosixFilePermissions(registry, PosixFilePermissions.fromString("rwx------"));
			long pid = entry.getKey().equals("a process that has exited") ? exited.pid() : SELF;
			HolderRegistryFiles.writeRaw(registry, pid + ".holders", entry.getValue());
			assertThat(new HolderRecords(Map.of(registry, uid)).live()).as(entry.getKey()).isEmpty();
		}
		// The same record, good, is found: the cases above fail for the reason they name.
		Path good = this.temporary.resolve("good");
		HolderRegistryFiles.writeRaw(good, SELF + ".holders", record(SELF, start, uid) + blocks);
		assertThat(new HolderRecords(Map.of(good, uid)).live()).singleElement()
			.satisfies((record) -> assertThat(record.pid()).isEqualTo(SELF));
		// Other files of the directory (lock files, temporary files) are not records.
		HolderRegistryFiles.writeRaw(good, SELF + ".holders.tmp", record(SELF, start, uid) + blocks);
		HolderRegistryFiles.writeRaw(good, "lock", "");
		assertThat(new HolderRecords(Map.of(good, uid)).live()).hasSize(1);
	}

	@Test
	void linksAndDirectoriesOthersCanWriteAreNotTrusted() throws IOException {
		long uid = HolderRegistryFiles.ownUid();
		Path real = this.temporary.resolve("real");
		Path file = HolderRegistryFiles.write(real, SELF, uid, "java", "tcp 40000 1 runtime");

		Path linkedFile = Files.createDirectories(this.temporary.resolve("linked-file"));
		Files.setPosixFilePermissions(linkedFile, PosixFilePermissions.fromString("rwx------"));
		Files.createSymbolicLink(linkedFile.resolve(SELF + ".holders"), file);
		assertThat(new HolderRecords(Map.of(linkedFile, uid)).live()).isEmpty();

		Path linkedDirectory = Files.createSymbolicLink(this.temporary.resolve("linked-directory"), real);
		HolderRecords throughLink = new HolderRecords(Map.of(linkedDirectory, uid));
		assertThat(throughLink.live()).isEmpty();
		assertThat(throughLink.skipped()).singleElement().asString().contains("symbolic link");

		Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwxrwx---"));
		HolderRecords groupWritable = new HolderRecords(Map.of(real, uid));
		assertThat(groupWritable.live()).isEmpty();
		assertThat(groupWritable.skipped()).singleElement().asString().contains("writable by group or others");

		Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwx------"));
		HolderRecords wrongOwner = new HolderRecords(Map.of(real, uid + 1));
		assertThat(wrongOwner.live()).isEmpty();
		assertThat(wrongOwner.skipped()).singleElement().asString().contains("owned by uid " + uid);
		assertThat(new HolderRecords(Map.of(real, uid)).live()).hasSize(1);
	}

	@Test
	void anotherUsersSocketsAndRecordsAreNamedToRootAndItsRecordsCannotClaimRootsProcesses() throws Exception {
		assumeThat(HolderRegistryFiles.ownUid())
			.as("creating the user %s and running a process as it needs root", OTHER_USER)
			.isZero();
		long otherUid = ThrowawayUser.ensure(OTHER_USER).uid();
		// No leftover connection (uid 0, no process) of an earlier test may share a port.
		PortBlock block = FreeBlocks.withoutConnections(new LinuxPortReservations(this.temporary.resolve("state")), 2);
		int port = block.startPort();
		// setpriv executes java in place, so the pid is that of the process holding the
		// port.
		Process process = ThrowawayUser.ensure(OTHER_USER)
			.java(PortHoldingProcess.class, "tcp-listen/127.0.0.1/" + port, "udp/127.0.0.1/" + (port + 1))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		this.closed.killed(process);
		assertThat(LinuxHolderNamingTests.firstLine(process)).isEqualTo("READY " + process.pid());

		Path registry = Files.createDirectories(this.temporary.resolve("other-user"));
		Files.setPosixFilePermissions(registry, PosixFilePermissions.fromString("rwx------"));
		Path record = HolderRegistryFiles.write(registry, process.pid(), otherUid, "java PortHoldingProcess",
				"tcp " + block.startPort() + " " + block.count() + " runtime");
		// The same user forging a record for root's process (this JVM) in its own
		// directory.
		Path forged = HolderRegistryFiles.write(registry, SELF, otherUid, "forged",
				"tcp " + block.startPort() + " " + block.count() + " runtime");
		for (Path path : List.of(registry, record, forged)) {
			Files.setOwner(path,
					path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OTHER_USER));
		}
		LinuxPortHolders holders = new LinuxPortHolders(new HolderRecords(Map.of(registry, otherUid)));

		List<PortHolder> tcp = holders.find(Protocol.TCP, port);
		assertThat(tcp).extracting(PortHolder::kind, PortHolder::pid, PortHolder::uid)
			.containsExactlyInAnyOrder(
					org.assertj.core.groups.Tuple.tuple(PortHolder.Kind.SOCKET, process.pid(), otherUid),
					org.assertj.core.groups.Tuple.tuple(PortHolder.Kind.RUNTIME_BLOCK, process.pid(), otherUid));
		assertThat(tcp).filteredOn((holder) -> holder.kind() == PortHolder.Kind.SOCKET)
			.singleElement()
			.satisfies((holder) -> {
				assertThat(holder.state()).isEqualTo("LISTEN");
				assertThat(holder.command()).contains(PortHoldingProcess.class.getName());
			});
		assertThat(holders.find(Protocol.UDP, port + 1)).singleElement()
			.satisfies((holder) -> assertThat(holder.pid()).isEqualTo(process.pid()));
		assertThat(tcp).noneMatch((holder) -> holder.pid() == SELF);
	}

	private static String record(long pid, long startTime, long uid) {
		return "pid=" + pid + "\nstarttime=" + startTime + "\ncommand=java\nuid=" + uid + "\n";
	}

}
